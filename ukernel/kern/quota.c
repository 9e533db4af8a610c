/* Memory quotas (quota.h): charge, uncharge and reference counting. Pure logic, host-tested. */
#include <stddef.h>

#include "kerrno.h"
#include "memory.h"
#include "quota.h"

struct quota *quota_create(uint64_t limit)
{
    struct quota *quota = kmalloc(sizeof(*quota));
    if (quota == NULL)
        return NULL;
    quota->refcount = 1;
    quota->used = 0;
    quota->limit = limit;
    return quota;
}

void quota_get(struct quota *quota)
{
    if (quota != NULL)
        quota->refcount++;
}

void quota_put(struct quota *quota)
{
    if (quota != NULL && --quota->refcount == 0)
        kfree(quota);
}

bool quota_fits(const struct quota *quota, uint64_t pages)
{
    return quota == NULL || (quota->used <= quota->limit && pages <= quota->limit - quota->used);
}

int quota_charge(struct quota *quota, uint64_t pages)
{
    if (quota == NULL)
        return 0;
    if (!quota_fits(quota, pages))
        return -ENOMEM;
    quota->used += pages;
    return 0;
}

void quota_charge_over(struct quota *quota, uint64_t pages)
{
    if (quota != NULL)
        quota->used += pages;
}

void quota_uncharge(struct quota *quota, uint64_t pages)
{
    if (quota == NULL)
        return;
    quota->used = pages > quota->used ? 0 : quota->used - pages;
}

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
    quota->object_bytes = 0;
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

#define QUOTA_PAGE_BYTES 4096ull

static uint64_t quota_bytes_pages(uint64_t bytes)
{
    return (bytes + QUOTA_PAGE_BYTES - 1) / QUOTA_PAGE_BYTES;
}

int quota_charge_bytes(struct quota *quota, uint64_t bytes)
{
    if (quota == NULL)
        return 0;
    uint64_t pages =
        quota_bytes_pages(quota->object_bytes + bytes) - quota_bytes_pages(quota->object_bytes);
    int error = quota_charge(quota, pages);
    if (error)
        return error;
    quota->object_bytes += bytes;
    return 0;
}

void quota_uncharge_bytes(struct quota *quota, uint64_t bytes)
{
    if (quota == NULL)
        return;
    if (bytes > quota->object_bytes)
        bytes = quota->object_bytes;
    uint64_t pages =
        quota_bytes_pages(quota->object_bytes) - quota_bytes_pages(quota->object_bytes - bytes);
    quota->object_bytes -= bytes;
    quota_uncharge(quota, pages);
}

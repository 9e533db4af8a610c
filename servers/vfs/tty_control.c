/* The controlling terminal and foreground group checks of a tty (pure logic, tty_control.h). */
#include "tty_control.h"

static bool tty_control_known(const struct tty_caller *caller)
{
    return caller->pgid > 0 && caller->sid > 0;
}

bool tty_control_is_controlling(const struct tty *tty, const struct tty_caller *caller)
{
    return tty_control_known(caller) && tty->session == caller->sid;
}

bool tty_control_acquire(struct tty *tty, const struct tty_caller *caller)
{
    if (!tty_control_known(caller) || tty->session != 0 || caller->pid != caller->sid)
        return false;
    tty->session = caller->sid;
    tty->foreground_group = caller->pgid;
    return true;
}

/* The caller is in a background group of the tty's session. */
static bool tty_control_background(const struct tty *tty, const struct tty_caller *caller)
{
    return tty_control_is_controlling(tty, caller) && tty->foreground_group > 0 &&
           caller->pgid != tty->foreground_group;
}

long tty_control_check_read(const struct tty *tty, const struct tty_caller *caller, bool ignored,
                            int *signal)
{
    *signal = 0;
    if (!tty_control_background(tty, caller))
        return 0;
    if (ignored)
        return TTY_EIO;
    *signal = TTY_SIGNAL_TTIN;
    return TTY_EINTR;
}

long tty_control_check_change(const struct tty *tty, const struct tty_caller *caller,
                              bool ignored, int *signal)
{
    *signal = 0;
    if (!tty_control_background(tty, caller) || ignored)
        return 0;
    *signal = TTY_SIGNAL_TTOU;
    return TTY_EINTR;
}

long tty_control_get_group(const struct tty *tty, const struct tty_caller *caller)
{
    return tty_control_is_controlling(tty, caller) ? tty->foreground_group : TTY_ENOTTY;
}

long tty_control_get_session(const struct tty *tty, const struct tty_caller *caller)
{
    return tty_control_is_controlling(tty, caller) ? tty->session : TTY_ENOTTY;
}

long tty_control_set_group(struct tty *tty, const struct tty_caller *caller, long group,
                           long group_session)
{
    if (!tty_control_is_controlling(tty, caller))
        return TTY_ENOTTY;
    if (group < 0)
        return TTY_EINVAL;
    if (group_session <= 0)
        return TTY_ESRCH;
    if (group_session != caller->sid)
        return TTY_EPERM;
    tty->foreground_group = group;
    return 0;
}

long tty_control_set_controlling(struct tty *tty, const struct tty_caller *caller, bool force)
{
    if (!tty_control_known(caller) || caller->pid != caller->sid)
        return TTY_EPERM;
    if (tty->session == caller->sid)
        return 0;
    if (tty->session != 0 && !force)
        return TTY_EPERM;
    tty->session = caller->sid;
    tty->foreground_group = caller->pgid;
    return 0;
}

long tty_control_give_up(struct tty *tty, const struct tty_caller *caller, long *group)
{
    *group = 0;
    if (!tty_control_is_controlling(tty, caller))
        return TTY_ENOTTY;
    if (caller->pid == caller->sid)
        *group = tty_control_hang_up(tty);
    return 0;
}

long tty_control_hang_up(struct tty *tty)
{
    long group = tty->session != 0 ? tty->foreground_group : 0;
    tty->session = 0;
    tty->foreground_group = 0;
    return group;
}

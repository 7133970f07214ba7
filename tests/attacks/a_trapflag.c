/* a_trapflag: single-step into a service stub to catch the DSOS selector in
 * a register.  Every stub begins "cld; mov ax, DSOS; mov ds, ax"; the attack
 * enters it just past the one-byte CLD (a jump may land anywhere in code).  An app may set
 * EFLAGS.TF (POPF/IRET at CPL 3 can); entering the stub with an IRET that
 * sets TF makes the CPU raise #DB after the stub's first instruction
 * (SDM vol. 3, 17.3.1.4): EAX then holds DSOS while DS, ES, SS are still
 * DSAPP.  An OS that tells its own contexts from the app's by DSOS in the
 * segment registers alone (as os/fault/fault.c first did) delivers this #DB
 * -- EAX included -- to the app's handler.  The handler resumes the stub
 * (TF cleared), which completes the service normally.  A safe OS either does
 * not deliver a trap taken inside a stub (it may end the app, or drop TF and
 * go on) or delivers nothing of DSOS.
 *
 * Tries Design B (getpid), hardened Design B (getpid) and Design A, each in
 * its own child ("a_trapflag B|H|A"), since the OS may end the child; the
 * child reports through its exit status.
 * Prints ATTACK name=trapflag ... result=contained | FOUND. */
#include "attack.h"

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

/* The child reports its detail on the console and its finding as the exit
 * status (TF_FOUND: DSOS in AX).  No shared memory: it would take plain B and
 * Design A away from the child (docs/DESIGN.md §5.3). */
#define TF_FOUND 3

static int child(int i)
{
    static const char *const names = "BHA";
    uint32_t target = names[i] == 'B' ? SVC_B_ADDR(SVC_getpid)
                    : names[i] == 'H' ? SVC_H_ADDR(SVC_getpid) : SVC_A_BASE;
    probe_init();
    klos_on_fault(on_db);
    step_target = target + 1;                   /* past CLD: mov ax, DSOS comes first */
    step_arg0 = SVC_getpid;                     /* Design A's service number */
    int r = probe_call(step_into, 0);
    int svc_ret = r ? -1 : (int)probe_out.eax;  /* before sel_is_os's probe */
    int dsos = db_n && sel_is_os(db_eax & 0xFFFF, 0);
    printf("ATTACK name=trapflag_child stub=%c db=%u eip=%x ax=0x%x svc_ret=%d dsos=%s\n",
           names[i], db_n, db_eip, db_eax & 0xFFFF, svc_ret, dsos ? "DSOS" : "no");
    return dsos ? TF_FOUND : 0;
}

int main(int argc, char **argv)
{
    if (argc > 1)
        return child(argv[1][0] == 'B' ? 0 : argv[1][0] == 'H' ? 1 : 2);
    char out[3][64];
    int found = 0;
    for (int i = 0; i < 3; i++) {
        static const char *const arg[3] = { "B", "H", "A" };
        int st = -1, pid = spawn("a_trapflag", arg[i]);
        if (pid < 0 || wait(pid, &st) != pid) {
            printf("ATTACK name=trapflag result=ERROR why=spawn\n");
            return 2;
        }
        found |= st == TF_FOUND;
        if (st >= 128)
            snprintf(out[i], sizeof out[i], " %s:ended_by_os,status=%d", arg[i], st);
        else
            snprintf(out[i], sizeof out[i], " %s:%s", arg[i], st == TF_FOUND ? "DSOS" : "no");
    }
    printf("ATTACK name=trapflag%s%s%s result=%s\n", out[0], out[1], out[2],
           found ? "FOUND" : "contained");
    return 0;
}

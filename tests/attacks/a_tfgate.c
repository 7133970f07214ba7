/* a_tfgate: enter ring 0 with EFLAGS.TF set.  A far CALL through a call gate
 * and SYSENTER do not clear TF (interrupt and trap gates do), so the CPU
 * raises the single-step #DB on the first instruction of the ring-0 entry:
 * a fault in ring 0.  The event core must survive it (e.g. clear TF and go
 * on, as Linux does for SYSENTER) -- an app must not be able to halt the
 * machine.  Tries, in order: the upcall-return gate (outside an upcall),
 * the benchmark call gate, SYSENTER, and INT 50 (a trap gate: clears TF).
 * Prints ATTACK name=tfgate ... result=contained after all four. */
#include "attack.h"

static volatile uint32_t db_n;

static int on_db(struct klos_fault *f)
{
    if (f->vec != 1)
        return 0;
    db_n++;
    f->ctx.eflags &= ~0x100u;
    return 1;
}

#define TF_ON "  pushfl\n  orl $0x100, (%esp)\n  popfl\n"
#define TF_OFF "  pushfl\n  andl $~0x100, (%esp)\n  popfl\n"

void tf_gate(uint32_t u);
void tf_gatebench(uint32_t u);
void tf_sysenter(uint32_t u);
void tf_int50(uint32_t u);
asm(".text\n"
    ".globl tf_gate\n"
    "tf_gate:\n" TF_ON "  lcall $0x33, $0\n" TF_OFF "  ret\n"
    ".globl tf_gatebench\n"
    "tf_gatebench:\n" TF_ON "  lcall $0x4b, $0\n" TF_OFF "  ret\n"
    ".globl tf_sysenter\n"
    "tf_sysenter:\n"
    "  pushl %ebp\n"
    "  movl %esp, %ecx\n"
    "  movl $1f, %edx\n"
    TF_ON
    "  sysenter\n"
    "1:\n"
    "  movl $0x23, %eax\n"
    "  movl %eax, %ss\n"
    "  pushl $0x1b\n"
    "  pushl $2f\n"
    "  lret\n"
    "2:\n" TF_OFF
    "  popl %ebp\n"
    "  ret\n"
    ".globl tf_int50\n"
    "tf_int50:\n" TF_ON "  int $50\n" TF_OFF "  ret\n");

int main(void)
{
    probe_init();
    klos_on_fault(on_db);
    static const struct { const char *n; void (*fn)(uint32_t); } t[] = {
        { "gate", tf_gate }, { "gatebench", tf_gatebench }, { "sysenter", tf_sysenter },
        { "int50", tf_int50 },
    };
    char out[160];
    int ol = 0;
    for (unsigned i = 0; i < sizeof t / sizeof t[0]; i++) {
        db_n = 0;
        int r = probe_call(t[i].fn, 0);
        ol += snprintf(out + ol, sizeof out - ol, " %s=%s,db=%u", t[i].n,
                       r ? "fault" : "back", db_n);
        printf("ATTACK name=tfgate_step %s survived\n", t[i].n);
    }
    printf("ATTACK name=tfgate%s result=contained\n", out);
    return 0;
}

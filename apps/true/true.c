/* true: does nothing and exits 0 -- the smallest program, for the
 * benchmark suite's spawn+exit+wait rows (apps/bench/suite.c), from the disk
 * (/bin/true) and as a GRUB module. */
int main(void)
{
    return 0;
}

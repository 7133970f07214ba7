/* The console drawn into a linear framebuffer (a UEFI PC has no VGA text
 * mode), with the built-in 8x16 font (build/gen/font8x16.c, made by
 * tools/gen/mkfont.py).  A copy of the text keeps the cost down where the
 * framebuffer is slow to read (uncached device memory): scrolling redraws
 * only the cells whose character changes, never reads the screen back.
 * The cursor is an underline in the cell's two bottom rows, which no glyph
 * uses. */
#include "os.h"
#include "console/screen.h"

#define CW 8
#define CH 16
#define MAXCOLS 480             /* a 3840x2160 screen; a larger one uses its top left */
#define MAXROWS 135

extern const uint8_t font8x16[256][CH];

static struct fbinfo fb;
static uint32_t bytes;          /* per pixel */
static int cols, rows, row, col;
static uint8_t text[MAXROWS][MAXCOLS];

int fb_cols(void) { return cols; }
int fb_rows(void) { return rows; }

/* Pixel rows y0 .. y1-1 of cell (r, c), with the cursor's underline if asked. */
static void draw(int r, int c, int y0, int y1, int cursor)
{
    const uint8_t *g = font8x16[text[r][c]];
    uint8_t *line = fb.base + (uint32_t)(r * CH + y0) * fb.pitch + (uint32_t)c * CW * bytes;
    for (int y = y0; y < y1; y++, line += fb.pitch) {
        uint32_t bits = g[y] | (cursor && y >= CH - 2 ? 0xFF : 0);
        for (int x = 0; x < CW; x++) {
            uint32_t v = (bits << x) & 0x80 ? fb.fg : fb.bg;
            if (bytes == 4)
                ((uint32_t *)line)[x] = v;
            else if (bytes == 2)
                ((uint16_t *)line)[x] = v;
            else {
                line[3 * x] = v;
                line[3 * x + 1] = v >> 8;
                line[3 * x + 2] = v >> 16;
            }
        }
    }
}

static void set(int r, int c, uint8_t ch)
{
    if (text[r][c] != ch) {
        text[r][c] = ch;
        draw(r, c, 0, CH, 0);
    }
}

void fb_init(const struct fbinfo *info)
{
    fb = *info;
    bytes = (fb.bpp + 7) / 8;
    cols = fb.width / CW < MAXCOLS ? fb.width / CW : MAXCOLS;
    rows = fb.height / CH < MAXROWS ? fb.height / CH : MAXROWS;
    for (uint32_t y = 0; y < fb.height; y++)
        memset(fb.base + y * fb.pitch, 0, fb.width * bytes);   /* bg is 0: black */
    memset(text, ' ', sizeof text);
    row = col = 0;
    draw(row, col, CH - 2, CH, 1);
}

void fb_putc(char ch)
{
    uint8_t c = ch;
    draw(row, col, CH - 2, CH, 0);
    if (c == '\n') {
        col = 0;
        row++;
    } else if (c == '\r') {
        col = 0;
    } else if (c == '\b') {
        if (col)
            set(row, --col, ' ');
    } else {
        set(row, col++, c);
        if (col == cols) {
            col = 0;
            row++;
        }
    }
    if (row == rows) {
        for (int r = 0; r < rows - 1; r++)
            for (int k = 0; k < cols; k++)
                set(r, k, text[r + 1][k]);
        for (int k = 0; k < cols; k++)
            set(rows - 1, k, ' ');
        row = rows - 1;
    }
    draw(row, col, CH - 2, CH, 1);
}

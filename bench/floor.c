/*
 * The floor netc's build is measured against (make bench): the least any
 * compiler of this topology must do. It parses the YAML with libyaml's event
 * parser (no tree, no checks) and writes the same list of files with the
 * same durability protocol netc uses: every temporary written whole, one
 * syncfs, one rename per file, one fsync per folder.
 *
 *   floor TOPOLOGY.yaml MANIFEST OUTDIR
 *
 * MANIFEST has one line per file: SIZE PATH (relative to OUTDIR, whose
 * sub-folders must exist).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <yaml.h>

static void die(const char *what) { perror(what); exit(1); }

int main(int argc, char **argv) {
    if (argc != 4) { fprintf(stderr, "usage: floor TOPOLOGY MANIFEST OUTDIR\n"); return 2; }
    FILE *in = fopen(argv[1], "rb");
    if (!in) die(argv[1]);
    yaml_parser_t parser;
    yaml_parser_initialize(&parser);
    yaml_parser_set_input_file(&parser, in);
    long events = 0;
    for (;;) {
        yaml_event_t e;
        if (!yaml_parser_parse(&parser, &e)) { fprintf(stderr, "yaml error\n"); return 1; }
        int done = e.type == YAML_STREAM_END_EVENT;
        yaml_event_delete(&e);
        events++;
        if (done) break;
    }
    yaml_parser_delete(&parser);
    fclose(in);

    FILE *m = fopen(argv[2], "r");
    if (!m) die(argv[2]);
    size_t cap = 1024, n = 0;
    char **paths = malloc(cap * sizeof *paths);
    long *sizes = malloc(cap * sizeof *sizes);
    char line[4096];
    while (fgets(line, sizeof line, m)) {
        char *sp = strchr(line, ' ');
        if (!sp) continue;
        line[strcspn(line, "\n")] = 0;
        if (n == cap) { cap *= 2; paths = realloc(paths, cap * sizeof *paths); sizes = realloc(sizes, cap * sizeof *sizes); }
        sizes[n] = atol(line);
        paths[n] = strdup(sp + 1);
        n++;
    }
    fclose(m);
    static char buf[1 << 16];
    memset(buf, '#', sizeof buf);
    char target[8192], tmp[8192];
    for (size_t i = 0; i < n; i++) {
        snprintf(tmp, sizeof tmp, "%s/%s.tmp", argv[3], paths[i]);
        int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd < 0) die(tmp);
        for (long left = sizes[i]; left > 0;) {
            size_t chunk = left < (long)sizeof buf ? (size_t)left : sizeof buf;
            ssize_t w = write(fd, buf, chunk);
            if (w <= 0) die("write");
            left -= w;
        }
        if (close(fd)) die("close");
    }
    int root = open(argv[3], O_RDONLY | O_DIRECTORY);
    if (root < 0 || syncfs(root)) die("syncfs");
    for (size_t i = 0; i < n; i++) {
        snprintf(tmp, sizeof tmp, "%s/%s.tmp", argv[3], paths[i]);
        snprintf(target, sizeof target, "%s/%s", argv[3], paths[i]);
        if (rename(tmp, target)) die("rename");
    }
    const char *folders[] = {"libvirt", "networkd", "nftables"};
    for (int i = 0; i < 3; i++) {
        snprintf(target, sizeof target, "%s/%s", argv[3], folders[i]);
        int fd = open(target, O_RDONLY | O_DIRECTORY);
        if (fd < 0 || fsync(fd)) die(target);
        close(fd);
    }
    printf("%ld events, %zu files\n", events, n);
    return 0;
}

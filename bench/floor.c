/*
 * The floor netc's build is measured against (make bench): the least any
 * compiler of this topology must do. It parses the YAML with libyaml's event
 * parser (no tree, no checks) and writes the same list of files with the
 * same durability protocol netc uses: every temporary written whole, one
 * syncfs; then for each output folder (OUT, or each OUT/HOST of a fleet)
 * its journal on disk, one rename per file, one fsync per folder, the
 * journal removed.
 *
 *   floor TOPOLOGY.yaml MANIFEST OUTDIR [YAML...]
 *
 * MANIFEST has one line per file, sorted: SIZE PATH (relative to OUTDIR;
 * missing folders are made). Further YAML files (a fleet's hosts, beside
 * the fleet file as TOPOLOGY) are parsed too.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <yaml.h>

static void die(const char *what) { perror(what); exit(1); }

/* The YAML events of one file. */
static long parse(const char *path) {
    FILE *in = fopen(path, "rb");
    if (!in) die(path);
    yaml_parser_t parser;
    yaml_parser_initialize(&parser);
    yaml_parser_set_input_file(&parser, in);
    long events = 0;
    for (;;) {
        yaml_event_t e;
        if (!yaml_parser_parse(&parser, &e)) { fprintf(stderr, "%s: yaml error\n", path); exit(1); }
        int done = e.type == YAML_STREAM_END_EVENT;
        yaml_event_delete(&e);
        events++;
        if (done) break;
    }
    yaml_parser_delete(&parser);
    fclose(in);
    return events;
}

/* The folder part of PATH ("a/b/c" -> "a/b"), in BUF. */
static const char *folder(const char *path, char *buf, size_t size) {
    snprintf(buf, size, "%s", path);
    char *slash = strrchr(buf, '/');
    if (slash) *slash = 0; else buf[0] = 0;
    return buf;
}

/* mkdir -p of ROOT/DIR. */
static void make(const char *root, const char *dir) {
    char p[8192];
    snprintf(p, sizeof p, "%s/%s", root, dir);
    for (char *c = p + strlen(root) + 1; ; c++) {
        if (*c == '/' || *c == 0) {
            char was = *c;
            *c = 0;
            if (mkdir(p, 0755) && errno != EEXIST) die(p);
            *c = was;
            if (!was) break;
        }
    }
}

int main(int argc, char **argv) {
    if (argc < 4) { fprintf(stderr, "usage: floor TOPOLOGY MANIFEST OUTDIR [YAML...]\n"); return 2; }
    long events = parse(argv[1]);
    for (int i = 4; i < argc; i++) events += parse(argv[i]);

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
    /* The folders, each made once (the manifest is sorted). */
    char dir[8192], last[8192] = "";
    for (size_t i = 0; i < n; i++) {
        folder(paths[i], dir, sizeof dir);
        if (strcmp(dir, last)) { make(argv[3], dir); strcpy(last, dir); }
    }
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
    /* Each output folder's commit (OUT, or each host's OUT/HOST of a
     * fleet): its journal on disk, its renames, one fsync per folder that
     * holds a file, the journal removed. */
    for (size_t a = 0, b; a < n; a = b) {
        char root[8192], r[8192];
        folder(folder(paths[a], dir, sizeof dir), root, sizeof root);
        for (b = a + 1; b < n && !strcmp(folder(folder(paths[b], dir, sizeof dir), r, sizeof r), root); b++) {}
        snprintf(target, sizeof target, "%s/%s", argv[3], root);
        int rootfd = open(target, O_RDONLY | O_DIRECTORY);
        if (rootfd < 0) die(target);
        snprintf(tmp, sizeof tmp, "%s/%s/.netc-commit.tmp", argv[3], root);
        int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd < 0) die(tmp);
        for (size_t i = a; i < b; i++) { dprintf(fd, "R %s\n", paths[i]); }
        if (fsync(fd) || close(fd)) die(tmp);
        snprintf(target, sizeof target, "%s/%s/.netc-commit", argv[3], root);
        if (rename(tmp, target) || fsync(rootfd)) die(target);
        for (size_t i = a; i < b; i++) {
            snprintf(tmp, sizeof tmp, "%s/%s.tmp", argv[3], paths[i]);
            snprintf(target, sizeof target, "%s/%s", argv[3], paths[i]);
            if (rename(tmp, target)) die("rename");
        }
        last[0] = 0;
        for (size_t i = a; i < b; i++) {
            folder(paths[i], dir, sizeof dir);
            if (!strcmp(dir, last)) continue;
            strcpy(last, dir);
            snprintf(target, sizeof target, "%s/%s", argv[3], dir);
            int d = open(target, O_RDONLY | O_DIRECTORY);
            if (d < 0 || fsync(d)) die(target);
            close(d);
        }
        snprintf(target, sizeof target, "%s/%s/.netc-commit", argv[3], root);
        if (unlink(target) || fsync(rootfd)) die(target);
        close(rootfd);
    }
    printf("%ld events, %zu files\n", events, n);
    return 0;
}

// The platform netc's file-system and host code is written for: Linux
// with glibc (POSIX calls, plus syncfs, renameat, mmap's MAP_ANONYMOUS,
// madvise and flock as Linux has them), the only platform the project
// builds and tests on. Every other file of NetcIO imports Glibc behind
// `canImport`; a build elsewhere stops here, with this reason, instead of
// at the first missing call.
#if !os(Linux)
#error("NetcIO (netc's file-system and host code) builds on Linux with glibc only")
#endif

import Glibc

/// madvise(2) advice: back this range with transparent huge pages
/// (MADV_HUGEPAGE in Linux's mman-common.h).
let adviseHugePages: Int32 = 14

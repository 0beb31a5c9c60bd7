import Foundation
import NetcCore

#if canImport(Glibc)
import Glibc
#endif

/// A fleet's host topologies on disk: each `topology` path is relative to
/// the folder of the fleet file.
public enum FleetFiles {
    /// The largest host topology read (as a single topology: 64 MiB).
    public static let limit = 64 << 20

    /// Reads `topology` paths relative to `fleetPath`'s folder.
    public static func reader(beside fleetPath: String) -> (String) -> FleetCompiler.Read {
        let folder = (fleetPath as NSString).deletingLastPathComponent
        return { path in
            let full = path.hasPrefix("/") || folder.isEmpty ? path : folder + "/" + path
            let fd = open(full, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { return .unreadable(OutputFolder.reason) }
            defer { close(fd) }
            var st = stat()
            if fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR { return .unreadable("Is a directory") }
            do {
                return .text(name: full, bytes: try OutputFolder.readAll(fd, display: full, limit: limit))
            } catch {
                return .unreadable("\(error)")
            }
        }
    }

    /// The host folders of a fleet's OUT: OUT/HOST for each host.
    public static func hostFolder(_ out: String, _ host: String) -> String {
        (out.hasSuffix("/") ? String(out.dropLast()) : out) + "/" + host
    }
}

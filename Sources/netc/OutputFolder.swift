import Foundation
import NetcCore

/// The output folder on disk: reads netc's three folders, applies a
/// `SyncPlan` with atomic, minimal writes.
struct OutputFolder {
    var path: String

    private var fm: FileManager { FileManager.default }

    func isDirectory(_ p: String) -> Bool? {
        var dir: ObjCBool = false
        guard fm.fileExists(atPath: p, isDirectory: &dir) else { return nil }
        return dir.boolValue
    }

    /// Every regular file directly inside OUT/libvirt, OUT/networkd, OUT/nftables.
    func read() throws -> [String: [UInt8]] {
        if isDirectory(path) == false { throw Failure("output \(path) exists and is not a folder") }
        var out: [String: [UInt8]] = [:]
        for folder in OutputLayout.folders {
            let dir = path + "/" + folder
            switch isDirectory(dir) {
            case nil: continue
            case false?: throw Failure("\(dir) exists and is not a folder")
            case true?: break
            }
            let names: [String]
            do { names = try fm.contentsOfDirectory(atPath: dir) } catch { throw Failure("cannot read \(dir)") }
            for name in names.sorted() where !name.hasPrefix(".netc-tmp-") {
                let p = dir + "/" + name
                guard isDirectory(p) == false else { continue }
                guard let data = fm.contents(atPath: p) else { throw Failure("cannot read \(p)") }
                out[folder + "/" + name] = [UInt8](data)
            }
        }
        return out
    }

    func apply(_ plan: SyncPlan) throws {
        for folder in OutputLayout.folders {
            let dir = path + "/" + folder
            if isDirectory(dir) == nil {
                do { try fm.createDirectory(atPath: dir, withIntermediateDirectories: true) } catch {
                    throw Failure("cannot create \(dir): \(error.localizedDescription)")
                }
            }
        }
        for f in plan.create + plan.update { try writeAtomically(f) }
        for p in plan.remove {
            do { try fm.removeItem(atPath: path + "/" + p) } catch { throw Failure("cannot remove \(path)/\(p)") }
        }
    }

    /// Writes a temporary file in the same folder, then renames it over the
    /// target, so a reader sees the old or the new file, never half of one.
    func writeAtomically(_ f: OutputFile) throws {
        let target = path + "/" + f.path
        let dir = (target as NSString).deletingLastPathComponent
        let tmp = dir + "/.netc-tmp-\(ProcessInfo.processInfo.processIdentifier)-" + (target as NSString).lastPathComponent
        guard fm.createFile(atPath: tmp, contents: Data(f.bytes), attributes: [.posixPermissions: 0o644]) else {
            throw Failure("cannot write \(target)")
        }
        if rename(tmp, target) != 0 {
            let reason = String(cString: strerror(errno))
            unlink(tmp)
            throw Failure("cannot write \(target): \(reason)")
        }
    }
}

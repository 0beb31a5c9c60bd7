import XCTest
@testable import NetcCore
@testable import NetcTestSupport

/// Files of `TwoCores.threshold` bytes and more are parsed on
/// two threads (libyaml on one, the arena built on the other, through an
/// `EventPipe`), and their interfaces and networks read in two halves. They
/// must give what a small file gives: the same files for the same network,
/// and the same diagnostic at the same place, whatever stops the reading.
final class LargeInputTests: XCTestCase {
    /// `count` isolated networks, four lines each, after a two-line head.
    func topology(networks count: Int, first: Int = 0) -> String {
        var s = "version: 1\nnetworks:\n"
        for i in first..<(first + count) {
            s += "  net\(i):\n    mode: isolated\n    bridge: vb\(i)\n    ipv4: {subnet: 10.\(i / 256).\(i % 256).0/24}\n"
        }
        return s
    }

    let large = 1500

    func testALargeFileIsReadOnTwoThreadsAndGivesWhatASmallOneGives() throws {
        let big = topology(networks: large)
        XCTAssertGreaterThanOrEqual(big.utf8.count, TwoCores.threshold, "the test must take the two-thread path")
        let all = try compileOK(big)
        XCTAssertEqual(all.topology?.networks.map(\.name).sorted(), (0..<large).map { "net\($0)" }.sorted(), "every network")
        // The first network, one from each half and the last: each file
        // exactly as a topology of that network alone gives it.
        for k in [0, large / 2 - 1, large / 2, large - 1] {
            let alone = try compileOK(topology(networks: 1, first: k))
            let own = alone.files.filter { $0.path != "nftables/netc.nft" }
            XCTAssertEqual(own.map(\.path), ["libvirt/net\(k).xml"])
            for f in own {
                XCTAssertEqual(all.files.first { $0.path == f.path }?.bytes, f.bytes, "net\(k): \(f.path)")
            }
        }
        XCTAssertEqual(all.files.filter { $0.path.hasPrefix("libvirt/") }.count, large)
    }

    /// Each ending, appended to a small and to a large file: the same code
    /// and column, on the line that many lines further.
    func testWhateverStopsTheReadingIsReportedWhereItIs() throws {
        let endings: [(String, DiagnosticCode, line: Int, column: Int)] = [
            ("  dup:\n    mode: isolated\n    mode: route\n", .E002, 3, 5),
            ("  broken: [a, b\n", .E001, 2, 1),
            ("  alias: *nowhere\n", .E001, 1, 10),
            ("---\nversion: 1\n", .E001, 1, 1),
            ("  bell: \"\u{7}\"\n", .E001, 1, 10),
            ("  net0:\n    mode: isolated\n", .E002, 1, 3),
        ]
        let smallText = topology(networks: 2), bigText = topology(networks: large)
        XCTAssertLessThan(smallText.utf8.count, TwoCores.threshold)
        XCTAssertGreaterThanOrEqual(bigText.utf8.count, TwoCores.threshold)
        let smallLines = 2 + 2 * 4, bigLines = 2 + large * 4
        for (ending, code, line, column) in endings {
            for (text, lines) in [(smallText, smallLines), (bigText, bigLines)] {
                let ds = Compiler.diagnose(text + ending)
                let d = try XCTUnwrap(ds.first, "\(ending.debugDescription) after \(lines) lines")
                XCTAssertEqual(ds.count, 1, "\(ending.debugDescription): \(ds)")
                XCTAssertEqual(d.code, code, "\(ending.debugDescription) after \(lines) lines: \(d.message)")
                XCTAssertEqual(d.range.start, SourceLocation(line: lines + line, column: column),
                               "\(ending.debugDescription) after \(lines) lines: \(d.message)")
            }
        }
    }

    /// Mistakes in both halves of the networks: every one reported, in the
    /// order of the file.
    func testMistakesInBothHalvesAreAllReportedInOrder() {
        var text = topology(networks: large)
        text = text.replacingOccurrences(of: "  net3:\n    mode: isolated\n", with: "  net3:\n    mode: isolatd\n")
        text = text.replacingOccurrences(of: "  net\(large - 2):\n    mode: isolated\n    bridge:",
                                         with: "  net\(large - 2):\n    mode: isolated\n    brige:")
        // The same bridge in both halves: the later one is the mistake,
        // the earlier one its note (the halves are joined in order).
        text = text.replacingOccurrences(of: "    bridge: vb5\n", with: "    bridge: shared\n")
        text = text.replacingOccurrences(of: "    bridge: vb\(large - 5)\n", with: "    bridge: shared\n")
        let ds = Compiler.diagnose(text)
        XCTAssertEqual(ds.map(\.code), [.E007, .E103, .E003], "\(ds)")
        XCTAssertEqual(ds.dropFirst().first?.range.start, SourceLocation(line: 2 + (large - 5) * 4 + 3, column: 13))
        XCTAssertEqual(ds.dropFirst().first?.notes.first?.range?.start, SourceLocation(line: 2 + 5 * 4 + 3, column: 13))
        XCTAssertEqual(ds.first?.range.start, SourceLocation(line: 2 + 3 * 4 + 2, column: 11))
        XCTAssertEqual(ds.last?.range.start, SourceLocation(line: 2 + (large - 2) * 4 + 3, column: 5))
        XCTAssertEqual(ds.last?.message, "unknown key 'brige' in network 'net\(large - 2)'; did you mean 'bridge'?")
    }

    /// An alias bomb is stopped in a large file as in a small one.
    func testAnAliasBombInALargeFileIsE009() throws {
        // Nine levels of ten aliases, as a network's value: 10^10 nodes.
        var bomb = "  bomb:\n    a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n"
        var previous = "a"
        for level in "bcdefghij" {
            bomb += "    \(level): &\(level) [" + Array(repeating: "*\(previous)", count: 10).joined(separator: ", ") + "]\n"
            previous = String(level)
        }
        let text = topology(networks: large) + bomb
        XCTAssertGreaterThanOrEqual(text.utf8.count, TwoCores.threshold)
        let ds = Compiler.diagnose(text)
        XCTAssertEqual(ds.map(\.code), [.E009], "\(ds)")
        XCTAssertGreaterThan(ds.first?.range.start.line ?? 0, 2 + large * 4)
    }
}

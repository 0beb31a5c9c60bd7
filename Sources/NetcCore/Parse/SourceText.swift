/// The topology's bytes before YAML sees them: strict UTF-8 without NUL
/// (E010, located at the first bad byte), and lines as YAML counts them
/// (a line ends at `\n`, `\r\n` or a lone `\r`).
public enum SourceText {
    /// The first NUL byte or malformed UTF-8 sequence, as a located E010;
    /// nil when the bytes are clean.
    public static func check(_ bytes: [UInt8]) -> Diagnostic? {
        // Almost every file is clean: a fast pass over the raw buffer first;
        // positions are worked out only when something is wrong.
        let clean = bytes.withUnsafeBufferPointer { b -> Bool in
            var i = 0
            while i < b.count {
                let c = b[i]
                if c == 0 { return false }
                if c < 0x80 { i += 1; continue }
                let n = sequenceLength(b, at: i)
                if n == 0 { return false }
                i += n
            }
            return true
        }
        if clean { return nil }
        var line = 1, column = 1, i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b < 0x80 {
                if b == 0 {
                    return Diagnostic(.nulByte, at: SourceRange(line: line, column: column))
                }
                if b == 0x0A || (b == 0x0D && (i + 1 == bytes.count || bytes[i + 1] != 0x0A)) {
                    line += 1
                    column = 1
                } else if b != 0x0D {
                    column += 1
                }
                i += 1
                continue
            }
            let length = sequenceLength(bytes, at: i)
            guard length > 0 else {
                // The lead byte and the continuation bytes after it.
                var last = i + 1
                while last < min(i + 4, bytes.count), (0x80...0xBF).contains(bytes[last]) { last += 1 }
                let shown = bytes[i..<last].map { b in
                    "\\x" + (b < 0x10 ? "0" : "") + String(b, radix: 16, uppercase: true)
                }.joined()
                return Diagnostic(.notUTF8(shown),
                                  at: SourceRange(line: line, column: column))
            }
            i += length
            column += 1
        }
        return nil
    }

    /// The length of the well-formed UTF-8 sequence at `i` (RFC 3629: no
    /// overlong forms, no surrogates, nothing above U+10FFFF), or 0.
    static func sequenceLength<C: RandomAccessCollection<UInt8>>(_ b: C, at i: Int) -> Int where C.Index == Int {
        func cont(_ k: Int, _ range: ClosedRange<UInt8> = 0x80...0xBF) -> Bool { i + k < b.count && range.contains(b[i + k]) }
        switch b[i] {
        case 0xC2...0xDF: return cont(1) ? 2 : 0
        case 0xE0: return cont(1, 0xA0...0xBF) && cont(2) ? 3 : 0
        case 0xE1...0xEC, 0xEE...0xEF: return cont(1) && cont(2) ? 3 : 0
        case 0xED: return cont(1, 0x80...0x9F) && cont(2) ? 3 : 0
        case 0xF0: return cont(1, 0x90...0xBF) && cont(2) && cont(3) ? 4 : 0
        case 0xF1...0xF3: return cont(1) && cont(2) && cont(3) ? 4 : 0
        case 0xF4: return cont(1, 0x80...0x8F) && cont(2) && cont(3) ? 4 : 0
        default: return 0
        }
    }

    /// The text's lines without their line ends: `\n`, `\r\n` and a lone
    /// `\r` each end a line, as YAML (and libyaml's line numbers) count.
    public static func lines(_ text: String) -> [Substring.UnicodeScalarView] {
        let scalars = text.unicodeScalars
        var out: [Substring.UnicodeScalarView] = []
        var start = scalars.startIndex, i = scalars.startIndex
        while i < scalars.endIndex {
            let c = scalars[i]
            if c == "\n" || c == "\r" {
                out.append(scalars[start..<i])
                var next = scalars.index(after: i)
                if c == "\r", next < scalars.endIndex, scalars[next] == "\n" { next = scalars.index(after: next) }
                start = next
                i = next
            } else {
                i = scalars.index(after: i)
            }
        }
        out.append(scalars[start..<scalars.endIndex])
        return out
    }
}

/// What the compiled templates (`CompiledTemplates`, generated at build time
/// from templates/ by the CompileTemplates plugin) print into: a byte
/// buffer, and the problems found while printing (an empty value is a bug
/// in a planner, reported as an internal error).
struct TemplateOutput {
    var bytes: [UInt8] = []
    var problems: [String] = []

    init(capacity: Int = 512) { bytes.reserveCapacity(capacity) }

    @inline(__always)
    mutating func literal(_ s: StaticString) {
        s.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    @inline(__always)
    mutating func text(_ v: some TemplateText, _ name: StaticString) {
        let before = bytes.count
        v.write(to: &bytes)
        if bytes.count == before { problems.append("'\(name)' printed empty") }
    }

    /// Text in an XML template: markup characters escaped. The value is
    /// written in place and rewritten only if it holds one (names are
    /// validated, so it almost never does).
    mutating func escaped(_ v: some TemplateText, _ name: StaticString) {
        let start = bytes.count
        v.write(to: &bytes)
        if bytes.count == start { problems.append("'\(name)' printed empty") }
        guard bytes[start...].contains(where: { XMLText.entity($0) != nil }) else { return }
        let raw = Array(bytes[start...])
        bytes.removeSubrange(start...)
        for b in raw {
            if let e = XMLText.entity(b) { literal(e) } else { bytes.append(b) }
        }
    }
}

/// A value a template can print with `{{name}}`.
protocol TemplateText {
    func write(to bytes: inout [UInt8])
}

extension String: TemplateText {
    func write(to bytes: inout [UInt8]) { bytes.append(contentsOf: utf8) }
}

extension Int: TemplateText {
    func write(to bytes: inout [UInt8]) {
        if self < 0 { bytes.append(UInt8(ascii: "-")) }
        var v = magnitude
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = 0
        withUnsafeMutableBytes(of: &digits) { d in
            repeat {
                d[n] = UInt8(ascii: "0") + UInt8(v % 10)
                v /= 10
                n += 1
            } while v > 0
            for i in stride(from: n - 1, through: 0, by: -1) { bytes.append(d[i]) }
        }
    }
}

extension TemplateText where Self: CustomStringConvertible {
    func write(to bytes: inout [UInt8]) { bytes.append(contentsOf: description.utf8) }
}

extension IPAddress: TemplateText {
    /// IPv4 straight into the buffer; IPv6 through its description.
    func write(to bytes: inout [UInt8]) {
        guard family == .ipv4 else { return bytes.append(contentsOf: description.utf8) }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 16) { buffer in
            let n = Self.dottedQuad(UInt32(truncatingIfNeeded: value), into: buffer.baseAddress!)
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[..<n]))
        }
    }
}

extension CIDR: TemplateText {
    func write(to bytes: inout [UInt8]) {
        address.write(to: &bytes)
        bytes.append(UInt8(ascii: "/"))
        prefix.write(to: &bytes)
    }
}

extension MACAddress: TemplateText {
    func write(to bytes: inout [UInt8]) {
        func hex(_ n: UInt8) -> UInt8 { n < 10 ? UInt8(ascii: "0") + n : UInt8(ascii: "a") - 10 + n }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 17) { out in
            for (i, b) in self.bytes.enumerated() {
                if i > 0 { out[3 * i - 1] = UInt8(ascii: ":") }
                out[3 * i] = hex(b >> 4)
                out[3 * i + 1] = hex(b & 15)
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: out[..<(3 * self.bytes.count - 1)]))
        }
    }
}

extension INIBool: TemplateText {
    func write(to bytes: inout [UInt8]) { bytes.append(contentsOf: rawValue.utf8) }
}

/// Mustache sections over typed values: an optional renders its body once
/// when present, a collection once per element, a Bool when true, any other
/// value once with itself as the context.
enum TemplateSection {
    @inline(__always)
    static func each<T>(_ v: T?, _ body: (T) -> Void) {
        if let v { body(v) }
    }

    @inline(__always)
    static func each<C: Collection>(_ v: C, _ body: (C.Element) -> Void) {
        for x in v { body(x) }
    }

    @inline(__always)
    static func each(_ v: Bool, _ body: (Bool) -> Void) {
        if v { body(v) }
    }

    @inline(__always)
    static func each<T>(_ v: T, _ body: (T) -> Void) {
        body(v)
    }

    @available(*, unavailable, message: "a String section would iterate characters: use an optional String")
    static func each(_ v: String, _ body: (Character) -> Void) {}

    static func isEmpty<T>(_ v: T?) -> Bool { v == nil }
    static func isEmpty<C: Collection>(_ v: C) -> Bool { v.isEmpty }
    static func isEmpty(_ v: Bool) -> Bool { !v }
}

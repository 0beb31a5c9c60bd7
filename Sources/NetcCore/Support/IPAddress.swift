/// Address families.
public enum IPFamily: String, Sendable, Hashable, Comparable {
    case ipv4, ipv6

    public var bits: Int { self == .ipv4 ? 32 : 128 }

    public static func < (a: IPFamily, b: IPFamily) -> Bool { a == .ipv4 && b == .ipv6 }
}

/// An IPv4 or IPv6 address. Values are kept as integers (IPv4 in the low 32
/// bits) so that ranges and subnets are plain arithmetic.
public struct IPAddress: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let family: IPFamily
    public let value: UInt128

    public init(family: IPFamily, value: UInt128) {
        self.family = family
        self.value = family == .ipv4 ? value & 0xffff_ffff : value
    }

    public static func < (a: IPAddress, b: IPAddress) -> Bool { (a.family, a.value) < (b.family, b.value) }

    /// Parses dotted-quad IPv4 or RFC 4291 IPv6 text; nil when malformed.
    public init?(_ text: some StringProtocol) {
        if text.utf8.contains(UInt8(ascii: ":")) {
            guard let v = IPAddress.parseV6(Substring(text)) else { return nil }
            self.init(family: .ipv6, value: v)
        } else {
            guard let v = IPAddress.parseV4(Substring(text)) else { return nil }
            self.init(family: .ipv4, value: UInt128(v))
        }
    }

    /// Four decimal octets without leading zeros, by a single byte scan.
    static func parseV4(_ s: Substring) -> UInt32? {
        var value: UInt32 = 0, octet: UInt32 = 0, digits = 0, dots = 0, leadingZero = false
        for b in s.utf8 {
            if b == UInt8(ascii: ".") {
                guard digits > 0, dots < 3 else { return nil }
                value = value << 8 | octet
                octet = 0
                digits = 0
                dots += 1
            } else if b >= UInt8(ascii: "0"), b <= UInt8(ascii: "9") {
                if digits == 0 { leadingZero = b == UInt8(ascii: "0") } else if leadingZero { return nil }
                octet = octet * 10 + UInt32(b - UInt8(ascii: "0"))
                digits += 1
                guard digits <= 3, octet <= 255 else { return nil }
            } else {
                return nil
            }
        }
        guard dots == 3, digits > 0 else { return nil }
        return value << 8 | octet
    }

    static func parseV6(_ s: Substring) -> UInt128? {
        if s.utf8.contains(UInt8(ascii: "%")) { return nil }
        let halves = s.components(separatedBy: "::")
        guard halves.count <= 2 else { return nil }
        func groups(_ h: String, allowV4Tail: Bool) -> [UInt16]? {
            if h.isEmpty { return [] }
            var out: [UInt16] = []
            let parts = h.split(separator: ":", omittingEmptySubsequences: false)
            for (i, p) in parts.enumerated() {
                if allowV4Tail, i == parts.count - 1, p.contains(".") {
                    guard let v4 = parseV4(p) else { return nil }
                    out += [UInt16(v4 >> 16), UInt16(v4 & 0xffff)]
                } else {
                    guard (1...4).contains(p.count), let n = UInt16(p, radix: 16) else { return nil }
                    out.append(n)
                }
            }
            return out
        }
        var words: [UInt16]
        if halves.count == 2 {
            guard let a = groups(halves[0], allowV4Tail: false),
                  let b = groups(halves[1], allowV4Tail: true), a.count + b.count <= 7
            else { return nil }
            words = a + Array(repeating: 0, count: 8 - a.count - b.count) + b
        } else {
            guard let a = groups(halves[0], allowV4Tail: true), a.count == 8 else { return nil }
            words = a
        }
        return words.reduce(UInt128(0)) { $0 << 16 | UInt128($1) }
    }

    /// Canonical text: dotted quad, or RFC 5952 IPv6 (lower case, longest run
    /// of two or more zero groups compressed, leftmost on ties).
    public var description: String {
        switch family {
        case .ipv4:
            // At most 15 bytes: a String that needs no allocation of its own.
            return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 16) { buffer in
                let n = Self.dottedQuad(UInt32(truncatingIfNeeded: value), into: buffer.baseAddress!)
                return String(decoding: UnsafeBufferPointer(rebasing: buffer[..<n]), as: UTF8.self)
            }
        case .ipv6:
            let words = (0..<8).map { UInt16(truncatingIfNeeded: value >> UInt128(112 - 16 * $0)) }
            var best = (start: -1, len: 0)
            var i = 0
            while i < 8 {
                if words[i] == 0 {
                    var j = i
                    while j < 8, words[j] == 0 { j += 1 }
                    if j - i > best.len, j - i >= 2 { best = (i, j - i) }
                    i = j
                } else {
                    i += 1
                }
            }
            func hex(_ r: ArraySlice<UInt16>) -> String { r.map { String($0, radix: 16) }.joined(separator: ":") }
            if best.start < 0 { return hex(words[...]) }
            return hex(words[..<best.start]) + "::" + hex(words[(best.start + best.len)...])
        }
    }

    /// The dotted quad of `v` at `out` (room for 15 bytes); its length. A
    /// fleet prints each VTEP address once per other member and overlay
    /// (millions in a large fleet): this is their whole cost.
    @inline(__always)
    static func dottedQuad(_ v: UInt32, into out: UnsafeMutablePointer<UInt8>) -> Int {
        var n = 0
        func octet(_ shift: UInt32) {
            let b = UInt8(truncatingIfNeeded: v >> shift)
            if b >= 100 { out[n] = 48 + b / 100; n += 1 }
            if b >= 10 { out[n] = 48 + b / 10 % 10; n += 1 }
            out[n] = 48 + b % 10
            n += 1
        }
        octet(24)
        out[n] = UInt8(ascii: "."); n += 1
        octet(16)
        out[n] = UInt8(ascii: "."); n += 1
        octet(8)
        out[n] = UInt8(ascii: "."); n += 1
        octet(0)
        return n
    }

    public func adding(_ n: UInt128) -> IPAddress { IPAddress(family: family, value: value &+ n) }
}

/// An address with a prefix length: a subnet (`192.168.122.0/24`) or an
/// interface address (`203.0.113.10/24`).
public struct CIDR: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let address: IPAddress
    public let prefix: Int

    public init(address: IPAddress, prefix: Int) {
        self.address = address
        self.prefix = prefix
    }

    /// Parses `ADDRESS/PREFIX`; nil when malformed.
    public init?(_ text: some StringProtocol) {
        // ADDRESS/PREFIX, one slash, the prefix one to three digits: read
        // in place (every network has one; no array of parts).
        let utf8 = text.utf8
        guard let slash = utf8.firstIndex(of: UInt8(ascii: "/")) else { return nil }
        var p = 0, digits = 0
        for b in utf8[utf8.index(after: slash)...] {
            guard b >= 48, b <= 57, digits < 3 else { return nil }
            p = p * 10 + Int(b - 48)
            digits += 1
        }
        guard digits > 0, let a = IPAddress(text[..<slash]), p <= a.family.bits else { return nil }
        self.init(address: a, prefix: p)
    }

    public var family: IPFamily { address.family }

    public var hostMask: UInt128 {
        let hostBits = family.bits - prefix
        return hostBits >= 128 ? UInt128.max : (UInt128(1) << UInt128(hostBits)) - 1
    }

    public var network: IPAddress { IPAddress(family: family, value: address.value & ~hostMask) }
    public var last: IPAddress { IPAddress(family: family, value: network.value | hostMask) }
    /// The subnet this address belongs to.
    public var subnet: CIDR { CIDR(address: network, prefix: prefix) }
    public var hasHostBits: Bool { address.value & hostMask != 0 }

    public func contains(_ a: IPAddress) -> Bool {
        a.family == family && a.value >= network.value && a.value <= last.value
    }

    public func overlaps(_ o: CIDR) -> Bool {
        family == o.family && network.value <= o.last.value && o.network.value <= last.value
    }

    /// Whether `a` is the network address or (IPv4, prefix below 31) the
    /// broadcast address of this subnet.
    public func isNetworkOrBroadcast(_ a: IPAddress) -> Bool {
        if a == network { return family == .ipv4 ? prefix < 31 : prefix < 127 }
        return family == .ipv4 && prefix < 31 && a == last
    }

    public static func < (a: CIDR, b: CIDR) -> Bool { (a.address, a.prefix) < (b.address, b.prefix) }

    public var description: String { "\(address)/\(prefix)" }
}

/// An Ethernet MAC address.
public struct MACAddress: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let bytes: [UInt8]

    /// Parses six hex octets separated by `:` or `-`; nil when malformed.
    public init?(_ text: some StringProtocol) {
        let sep: Character = text.utf8.contains(UInt8(ascii: "-")) ? "-" : ":"
        let parts = text.split(separator: sep, omittingEmptySubsequences: false)
        guard parts.count == 6 else { return nil }
        var b: [UInt8] = []
        for p in parts {
            guard p.count == 2, let n = UInt8(p, radix: 16) else { return nil }
            b.append(n)
        }
        bytes = b
    }

    public var isMulticast: Bool { bytes[0] & 1 == 1 }
    public var isZero: Bool { bytes.allSatisfy { $0 == 0 } }

    public static func < (a: MACAddress, b: MACAddress) -> Bool { a.bytes.lexicographicallyPrecedes(b.bytes) }

    /// Lower-case, colon-separated.
    public var description: String {
        bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined(separator: ":")
    }
}

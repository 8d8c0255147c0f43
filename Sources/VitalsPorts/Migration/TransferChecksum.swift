/// The row count and an order-independent checksum of a table's canonical rows: each row's bytes (every value tagged with
/// its type, text with its length, reals by their bits, every NaN as one) hashed with 64-bit FNV-1a and a final mix, the hashes added modulo
/// 2⁶⁴. Two stores holding the same rows in any order give the same checksum; a row missing, added twice or differing in any
/// value changes it.
public struct TransferChecksum: Hashable, Sendable, CustomStringConvertible {
    public private(set) var rows = 0
    public private(set) var sum: UInt64 = 0

    public init() {}

    public mutating func add(_ row: [TransferValue]) {
        var hash = Hasher64()
        for value in row {
            switch value {
            case .null: hash.byte(0)
            case .integer(let integer):
                hash.byte(1)
                hash.word(UInt64(bitPattern: integer))
            case .real(let real):
                hash.byte(2)
                // Every NaN alike: its sign and payload are whatever the arithmetic that made it left (∞ + −∞).
                hash.word(real.isNaN ? Double.nan.bitPattern : real.bitPattern)
            case .text(let text):
                hash.byte(3)
                hash.word(UInt64(text.utf8.count))
                for byte in text.utf8 { hash.byte(byte) }
            case .boolean(let boolean):
                hash.byte(4)
                hash.byte(boolean ? 1 : 0)
            }
        }
        rows += 1
        sum &+= hash.finished
    }

    /// The sum as 16 hexadecimal digits.
    public var description: String {
        let digits = String(sum, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    private struct Hasher64 {
        var state: UInt64 = 0xcbf2_9ce4_8422_2325

        mutating func byte(_ byte: UInt8) {
            state = (state ^ UInt64(byte)) &* 0x100_0000_01b3
        }

        mutating func word(_ word: UInt64) {
            for shift in stride(from: 0, to: 64, by: 8) { byte(UInt8(truncatingIfNeeded: word >> UInt64(shift))) }
        }

        /// MurmurHash3's 64-bit finaliser, so that the sums of similar rows spread over all bits.
        var finished: UInt64 {
            var mixed = state
            mixed ^= mixed >> 33
            mixed &*= 0xff51_afd7_ed55_8ccd
            mixed ^= mixed >> 33
            mixed &*= 0xc4ce_b9fe_1a85_ec53
            mixed ^= mixed >> 33
            return mixed
        }
    }
}

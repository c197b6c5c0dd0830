/// A QR Code Model 2 symbol (ISO/IEC 18004) holding text in byte mode. Drawn by the portal itself so that the
/// two-factor enrolment page can show the otpauth URI, which carries the secret, without handing it to a third-party
/// image service or shipping a JavaScript library.
public struct QRCode: Sendable {
    /// How much of the symbol can be damaged and still read (about 7, 15, 25 and 30 per cent); each step costs
    /// capacity.
    public enum Level: Sendable, CaseIterable {
        case low, medium, quartile, high
    }

    /// Why text cannot be put in a QR code.
    public enum EncodingError: Error, Equatable, Sendable {
        /// The UTF-8 text is longer than a version 40 symbol holds at this level.
        case tooLong(bytes: Int, maximum: Int)
    }

    /// The version, 1–40: the smallest that holds the text.
    public let version: Int
    /// The error correction level.
    public let correction: Level
    /// The data mask pattern, 0–7, chosen by the lowest penalty score (ISO/IEC 18004 section 7.8.3).
    public let mask: Int
    /// Modules along one side: 17 + 4 × version.
    public let size: Int
    /// Module colours, row after row; true is dark.
    private let modules: [Bool]

    /// Encodes `text` as UTF-8 in byte mode, in the smallest version that holds it at `correction`.
    public init(text: String, correction: Level = .medium) throws(EncodingError) {
        try self.init(bytes: Array(text.utf8), correction: correction, mask: nil)
    }

    /// Encodes bytes; `mask` pins the data mask instead of choosing it, which lets tests compare with an encoder whose
    /// penalty scoring differs.
    init(bytes: [UInt8], correction: Level, mask fixedMask: Int?) throws(EncodingError) {
        guard let version = Self.smallestVersion(holding: bytes.count, correction: correction) else {
            throw .tooLong(bytes: bytes.count, maximum: Self.byteCapacity(version: 40, correction: correction))
        }
        let codewords = Self.codewords(for: bytes, version: version, correction: correction)
        var grid = Grid(version: version)
        grid.drawFunctionPatterns(correction: correction)
        grid.place(codewords)
        let mask = fixedMask.map { min(max($0, 0), 7) } ?? grid.bestMask(correction: correction)
        grid.applyMask(mask)
        grid.drawFormatInformation(correction: correction, mask: mask)
        self.version = version
        self.correction = correction
        self.mask = mask
        self.size = grid.size
        self.modules = grid.dark
    }

    /// Whether the module at column `x`, row `y` (from the top left) is dark; outside the symbol is light.
    public func isDark(x: Int, y: Int) -> Bool {
        guard (0..<size).contains(x), (0..<size).contains(y) else { return false }
        return modules[y * size + x]
    }

    /// The most bytes a symbol of this version and level holds in byte mode.
    public static func byteCapacity(version: Int, correction: Level) -> Int {
        let bits = dataCodewordCount(version: version, correction: correction) * 8 - 4 - characterCountBits(version)
        return min(bits / 8, (1 << characterCountBits(version)) - 1)
    }

    /// The smallest version whose byte-mode capacity is at least `byteCount`, or nil when none is.
    static func smallestVersion(holding byteCount: Int, correction: Level) -> Int? {
        (1...40).first { byteCapacity(version: $0, correction: correction) >= byteCount }
    }

    /// Width of the byte-mode character count indicator (Table 3).
    static func characterCountBits(_ version: Int) -> Int {
        version <= 9 ? 8 : 16
    }
}

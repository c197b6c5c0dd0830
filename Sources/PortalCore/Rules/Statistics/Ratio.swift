/// An exact fraction for statistics, so that results are deterministic and can be shown as a percentage.
public struct Ratio: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The count that has the property.
    public let numerator: Int
    /// The count of all.
    public let denominator: Int

    /// Creates a ratio.
    public init(_ numerator: Int, of denominator: Int) {
        self.numerator = numerator
        self.denominator = denominator
    }

    /// The value in 0…1, or `nil` when the denominator is zero.
    public var value: Double? { denominator == 0 ? nil : Double(numerator) / Double(denominator) }

    /// The ratio as `n/d`.
    public var description: String { "\(numerator)/\(denominator)" }
}

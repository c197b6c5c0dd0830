/// A person's sex as recorded in the national population database.
public enum Sex: String, Sendable, Hashable, Codable, CaseIterable {
    /// Nam.
    case male
    /// Nữ.
    case female
}

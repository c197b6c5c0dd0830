/// An error whose message can be shown to a person in Vietnamese or in English.
public protocol BilingualError: Error, Sendable {
    /// The message in Vietnamese.
    var messageVi: String { get }
    /// The message in English.
    var messageEn: String { get }
}

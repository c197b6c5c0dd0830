import Foundation

/// The apology notice with a new return date (Phiếu xin lỗi và hẹn lại ngày trả kết quả), Decree 61/2018.
public struct ExtensionNotice: Sendable, Hashable, Codable {
    /// When the notice was issued.
    public let issuedAt: Date
    /// The new due instant.
    public let newDueAt: Date
    /// The apology and the reason for the delay, as sent to the applicant.
    public let apology: String

    /// Creates a notice; the calculator checks it when the extension is granted.
    public init(issuedAt: Date, newDueAt: Date, apology: String) {
        self.issuedAt = issuedAt
        self.newDueAt = newDueAt
        self.apology = apology
    }
}

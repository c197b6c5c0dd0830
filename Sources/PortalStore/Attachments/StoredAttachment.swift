import PortalCore

/// A file kept by `AttachmentStore`, as a dossier records it: the content's hash names the blob, the name stays with
/// the dossier.
public struct StoredAttachment: Sendable, Hashable {
    /// The SHA-256 of the content as 64 lower-case hexadecimal digits; the key for `AttachmentStore.path(forSHA256:)`.
    public let sha256: String
    /// The size in bytes.
    public let size: Int
    /// The kind recognised from the content.
    public let kind: AttachmentKind

    /// Describes a stored file.
    public init(sha256: String, size: Int, kind: AttachmentKind) {
        self.sha256 = sha256
        self.size = size
        self.kind = kind
    }
}

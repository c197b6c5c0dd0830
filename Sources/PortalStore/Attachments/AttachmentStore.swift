import Foundation
import PortalCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Content-addressed storage for the files attached to dossiers, under one root directory.
///
/// A blob lives at `root/sha256/ab/cd/<64 hex digits>`, named by the SHA-256 of its content: the same scan attached to
/// two dossiers is kept once, a blob never changes once written, and no name a citizen typed ever reaches a path.
/// Uploads are written to `root/tmp` first and moved into place only when complete, checked and on disk, so a reader
/// never sees half a file. The two fan-out levels keep directories small (65 536 leaves).
///
/// The store keeps no index: which dossier refers to which hash is recorded in the database, and blobs that nothing
/// refers to any more are removed with `remove(sha256:)`. A crash mid-upload can leave a file in `root/tmp`; nothing
/// else ever reads that directory, so its files are safe to delete whenever no upload is running (at start-up).
public struct AttachmentStore: Sendable {
    /// The root directory, e.g. `<data dir>/attachments`.
    public let root: String
    /// The largest accepted file in bytes.
    public let maximumFileSize: Int

    /// A store under `root` (created on first use) accepting files of at most `maximumFileSize` bytes.
    public init(root: String, maximumFileSize: Int) {
        self.root = root
        self.maximumFileSize = maximumFileSize
    }

    /// Starts receiving one file into a new temporary file.
    public func begin() throws(AttachmentError) -> AttachmentUpload {
        if let code = Self.makeDirectories(temporaryDirectory) { throw .storageFailed(errno: code) }
        // A random name, not the citizen's: concurrent uploads never collide and the name says nothing.
        let path = temporaryDirectory + "/" + UUID().uuidString.lowercased()
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode_t(0o600))
        guard descriptor >= 0 else { throw .storageFailed(errno: errno) }
        return AttachmentUpload(store: self, descriptor: descriptor, temporaryPath: path)
    }

    /// The path of the blob with this hash, or `nil` if `hex` is not 64 lower-case hexadecimal digits.
    ///
    /// The check comes first because the hash may come from a URL: `../x` must never become a path.
    /// The blob need not exist.
    public func path(forSHA256 hex: String) -> String? {
        guard Self.isSHA256Hex(hex) else { return nil }
        return directory(forSHA256: hex) + "/" + hex
    }

    /// Deletes the blob with this hash; `true` if there was one.
    ///
    /// Only for blobs no dossier refers to. The fan-out directories are left in place: removing an empty one could
    /// race an upload that has just created it and is about to move its file in.
    @discardableResult
    public func remove(sha256 hex: String) throws(AttachmentError) -> Bool {
        guard let path = path(forSHA256: hex) else { return false }
        guard unlink(path) == 0 else {
            let code = errno
            if code == ENOENT { return false }
            throw .storageFailed(errno: code)
        }
        return true
    }

    /// Where uploads are written until they are complete.
    var temporaryDirectory: String { root + "/tmp" }

    /// The fan-out directory of a blob: `root/sha256/ab/cd` for a hash starting `abcd`.
    func directory(forSHA256 hex: String) -> String {
        let digits = Array(hex.utf8)
        let first = String(decoding: digits[0..<2], as: UTF8.self)
        let second = String(decoding: digits[2..<4], as: UTF8.self)
        return root + "/sha256/" + first + "/" + second
    }

    /// Whether `hex` is exactly 64 characters from `0-9a-f`.
    static func isSHA256Hex(_ hex: String) -> Bool {
        hex.utf8.count == 64 && hex.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }
}

extension AttachmentStore {
    /// Creates `path` and any missing parents (mode 0700: the files are citizens' documents); an `errno` on failure.
    ///
    /// Each directory created is made durable by syncing its parent, so that a blob synced into it survives a crash.
    static func makeDirectories(_ path: String) -> Int32? {
        var current = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            let parent = current.isEmpty ? "/" : current
            current += "/" + component
            if mkdir(current, mode_t(0o700)) == 0 {
                if let code = syncDirectory(parent) { return code }
            } else if errno != EEXIST {
                return errno
            }
        }
        return nil
    }

    /// Flushes a directory's entries to disk; an `errno` on failure.
    static func syncDirectory(_ path: String) -> Int32? {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return errno }
        defer { close(descriptor) }
        return fsync(descriptor) == 0 ? nil : errno
    }
}

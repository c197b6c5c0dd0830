import Crypto
import PortalCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// One file being received by `AttachmentStore`, from `begin()` until `finish(name:)` or `cancel()`.
///
/// Bytes go straight to a temporary file while their hash is computed, so a large scan is never held in memory and
/// the content address is known the moment the last chunk arrives. Every refusal deletes the temporary file, and so
/// does `deinit`, so an abandoned request leaves nothing behind (a crash can: see `AttachmentStore`).
///
/// Used by one request at a time, hence a class that is not `Sendable`.
public final class AttachmentUpload {
    private let store: AttachmentStore
    private let temporaryPath: String
    /// The open temporary file; `nil` once it is closed.
    private var descriptor: Int32?
    /// Whether the temporary file still has to be deleted (it has not been moved into place or deleted yet).
    private var ownsTemporaryFile = true
    private var hasher = SHA256()
    /// The first `AttachmentKind.sniffLength` bytes, for recognising the content.
    private var prefix: [UInt8] = []
    /// The bytes received so far.
    public private(set) var size = 0

    init(store: AttachmentStore, descriptor: Int32, temporaryPath: String) {
        self.store = store
        self.descriptor = descriptor
        self.temporaryPath = temporaryPath
    }

    deinit { discard() }

    /// Writes the next chunk; throws `.tooLarge` (and deletes what was received) as soon as the limit is crossed.
    public func append(_ bytes: some Collection<UInt8>) throws(AttachmentError) {
        guard let descriptor else { throw .storageFailed(errno: EBADF) }
        guard bytes.count <= store.maximumFileSize - size else {
            discard()
            throw .tooLarge(limit: store.maximumFileSize)
        }
        let consume = { (buffer: UnsafeBufferPointer<UInt8>) in self.consume(buffer, into: descriptor) }
        let failure = bytes.withContiguousStorageIfAvailable(consume) ?? Array(bytes).withUnsafeBufferPointer(consume)
        if let failure {
            discard()
            throw .storageFailed(errno: failure)
        }
    }

    /// Checks the received file with `AttachmentKind.recognise` and moves it into the store; on any refusal
    /// (`.emptyFile`, `.unrecognisedContent`, `.contentDoesNotMatchExtension`) the file is deleted.
    ///
    /// The name is used for that check and nothing else.
    public func finish(name: AttachmentName) throws(AttachmentError) -> StoredAttachment {
        guard let descriptor else { throw .storageFailed(errno: EBADF) }
        let kind: AttachmentKind
        do {
            kind = try AttachmentKind.recognise(prefix, named: name)
        } catch {
            discard()
            throw error
        }
        // The data must be on disk before the rename makes it visible, or a crash could leave a named, empty blob.
        guard fsync(descriptor) == 0 else {
            let code = errno
            discard()
            throw .storageFailed(errno: code)
        }
        close(descriptor)
        self.descriptor = nil

        let hex = hasher.finalize().map { Self.hexDigits[Int($0 >> 4)] + Self.hexDigits[Int($0 & 0x0F)] }.joined()
        let directory = store.directory(forSHA256: hex)
        let path = directory + "/" + hex
        if let code = AttachmentStore.makeDirectories(directory) {
            discard()
            throw .storageFailed(errno: code)
        }
        if access(path, F_OK) == 0 {
            // Same hash, same content: the blob is already there and never changes.
            discard()
        } else {
            // Two uploads of the same content may both get here; rename replaces atomically and both are identical.
            guard rename(temporaryPath, path) == 0 else {
                let code = errno
                discard()
                throw .storageFailed(errno: code)
            }
            ownsTemporaryFile = false
            if let code = AttachmentStore.syncDirectory(directory) { throw .storageFailed(errno: code) }
        }
        return StoredAttachment(sha256: hex, size: size, kind: kind)
    }

    /// Abandons the upload and deletes what was received; safe to call more than once.
    public func cancel() {
        discard()
    }

    /// Hashes, keeps the prefix of, and writes one chunk; the `errno` of a failed write, or `nil`.
    private func consume(_ buffer: UnsafeBufferPointer<UInt8>, into descriptor: Int32) -> Int32? {
        guard let base = buffer.baseAddress, !buffer.isEmpty else { return nil }
        var written = 0
        while written < buffer.count {
            let result = write(descriptor, base + written, buffer.count - written)
            if result < 0 {
                if errno == EINTR { continue }
                return errno
            }
            written += result
        }
        hasher.update(bufferPointer: UnsafeRawBufferPointer(buffer))
        if prefix.count < AttachmentKind.sniffLength {
            prefix.append(contentsOf: buffer.prefix(AttachmentKind.sniffLength - prefix.count))
        }
        size += buffer.count
        return nil
    }

    /// Closes and deletes the temporary file if that has not happened yet.
    private func discard() {
        if let descriptor {
            close(descriptor)
            self.descriptor = nil
        }
        if ownsTemporaryFile {
            unlink(temporaryPath)
            ownsTemporaryFile = false
        }
    }

    private static let hexDigits = (0..<16).map { String($0, radix: 16) }
}

import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdBcrypt
import NIOPosix
import Synchronization

/// Password hashing and checking for the pages, off the event loops, with a bounded queue.
///
/// A bcrypt check takes a core for a quarter of a second at the default cost, so under a rush of sign-ins the
/// work waiting for the thread pool would grow without limit and every page behind it would wait too. At most
/// `limit` checks run or wait at once (by default four per core); one more is answered 503 with `Retry-After` at
/// once, and the rest of the portal keeps answering.
final class PasswordHashing: Sendable {
    let limit: Int
    private let pending = Atomic<Int>(0)

    init(limit: Int = max(4, 4 * ProcessInfo.processInfo.activeProcessorCount)) {
        self.limit = limit
    }

    /// The hash of a password at a bcrypt cost.
    func hash(_ password: String, cost: UInt8) async throws -> String {
        try await gated { Bcrypt.hash(password, cost: cost) }
    }

    /// Whether a password matches a stored hash.
    func verify(_ password: String, hash: String) async throws -> Bool {
        try await gated { Bcrypt.verify(password, hash: hash) }
    }

    private func gated<Result: Sendable>(_ work: @escaping @Sendable () -> Result) async throws -> Result {
        let waiting = pending.add(1, ordering: .relaxed).newValue
        defer { pending.subtract(1, ordering: .relaxed) }
        guard waiting <= limit else {
            throw PortalError(.serviceUnavailable, code: "busy", messageKey: "error_503_busy", retryAfter: 2)
        }
        return try await NIOThreadPool.singleton.runIfActive(work)
    }
}

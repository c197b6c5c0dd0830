/// How the embedded SQLite database trades durability for speed.
public struct SQLiteOptions: Sendable, Hashable {
    /// `FULL` (the default) syncs the write-ahead log on every commit: an acknowledged write survives a power cut.
    /// `NORMAL` syncs only at checkpoints: faster, but the last commits before a power cut (not a process crash)
    /// can be lost.
    public enum Synchronous: String, Sendable, Hashable, CaseIterable {
        case full = "FULL"
        case normal = "NORMAL"
    }

    public var synchronous: Synchronous
    /// How long a connection waits for the write lock before giving up.
    public var busyTimeoutMilliseconds: Int

    /// Creates options; the defaults are the safe ones.
    public init(synchronous: Synchronous = .full, busyTimeoutMilliseconds: Int = 10_000) {
        self.synchronous = synchronous
        self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
    }
}

/// One numbered, append-only schema change. Never edit a migration that has shipped: add a new one.
public struct Migration: Sendable {
    public let version: Int
    public let name: String
    /// The statements for the given engine, run in order inside the migration's transaction.
    let statements: @Sendable (EngineDialect) -> [String]
}

import Foundation

/// The real public data in `../shared/data` beside the repository (see its README).
public enum SharedData {
    /// The data folder.
    public static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/data")

    /// Whether the data is there (it is in CI and on developers' machines).
    public static var available: Bool {
        FileManager.default.fileExists(atPath: url("vn-admin-procedures/procedures.csv").path)
    }

    /// A file or folder inside the data folder.
    public static func url(_ relativePath: String) -> URL {
        directory.appendingPathComponent(relativePath)
    }

    /// A file's bytes.
    public static func data(_ relativePath: String) throws -> Data {
        try Data(contentsOf: url(relativePath))
    }
}

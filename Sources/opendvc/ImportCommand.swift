import ArgumentParser
import Foundation
import PortalStore
import PortalWeb

/// `opendvc import`: loads the national reference data from files.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import reference data (units first, then agencies, then procedures).",
        discussion: """
            Each import checks every row before writing anything and writes in one transaction: a bad row stops the
            import with `file:line: reason` and leaves the database unchanged, unless --skip-bad is given. Running an
            import again updates rows in place.
            """,
        subcommands: [Procedures.self, Units.self, Agencies.self])

    /// Options every import takes.
    struct Common: ParsableArguments {
        @Flag(name: .customLong("skip-bad"), help: "Skip bad rows (they are listed) instead of importing nothing.")
        var skipBad = false

        @OptionGroup var storage: StorageOptions
    }

    /// `opendvc import procedures`.
    struct Procedures: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Import the procedure catalogue (procedures.csv).")

        @Argument(help: "procedures.csv") var csv: String
        @Option(help: "procedures_detail.jsonl.gz with documents, steps, conditions and legal basis.")
        var details: String?
        @OptionGroup var common: Common

        func run() async throws {
            try await runImport(common) { database, options in
                let detailData = try details.map { try readFile($0) }
                return [
                    try await ProcedureImporter(database: database).importCatalogue(
                        csv: try readFile(csv), csvName: csv, details: detailData,
                        detailsName: details ?? "", options: options)
                ]
            }
        }
    }

    /// `opendvc import units`.
    struct Units: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import provinces and communes (provinces.csv, communes.csv), and optionally the legacy units "
                + "and the old → new ward mapping.")

        @Argument(help: "Folder with provinces.csv and communes.csv (since 1 July 2025).") var directory: String
        @Option(help: "Folder with the legacy provinces.csv, districts.csv and wards.csv.") var legacy: String?
        @Option(help: "Folder with ward_mapping.csv.") var mapping: String?
        @OptionGroup var common: Common

        func run() async throws {
            try await runImport(common) { database, options in
                func file(_ folder: String, _ name: String) throws -> (name: String, data: Data) {
                    let path = URL(fileURLWithPath: folder).appendingPathComponent(name).path
                    return (path, try readFile(path))
                }
                var files = UnitImporter.Files(
                    provinces: try file(directory, "provinces.csv"), communes: try file(directory, "communes.csv"))
                if let legacy {
                    files.legacyProvinces = try file(legacy, "provinces.csv")
                    files.legacyDistricts = try file(legacy, "districts.csv")
                    files.legacyWards = try file(legacy, "wards.csv")
                }
                if let mapping { files.wardMapping = try file(mapping, "ward_mapping.csv") }
                return try await UnitImporter(database: database).importUnits(files, options: options)
            }
        }
    }

    /// `opendvc import agencies`.
    struct Agencies: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Import agencies (agency_codes.csv).")

        @Argument(help: "agency_codes.csv") var csv: String
        @OptionGroup var common: Common

        func run() async throws {
            try await runImport(common) { database, options in
                [
                    try await AgencyImporter(database: database).importAgencies(
                        csv: try readFile(csv), csvName: csv, options: options)
                ]
            }
        }
    }
}

/// Runs an import on the portal database with a progress line on a terminal, then prints the summary and any
/// skipped rows.
func runImport(
    _ common: ImportCommand.Common, _ body: (Database, ImportOptions) async throws -> [ImportReport]
) async throws {
    try await withPortalDatabase(common.storage) { database in
        let onTerminal = isatty(STDERR_FILENO) == 1
        var options = ImportOptions(skipBad: common.skipBad)
        if onTerminal {
            options.progress = { @Sendable (done: Int, total: Int) in
                FileHandle.standardError.write(Data("\r  \(done)/\(total) rows written".utf8))
            }
        }
        let reports = try await body(database, options)
        if onTerminal { FileHandle.standardError.write(Data("\n".utf8)) }
        for report in reports {
            for problem in report.problems { printError("skipped \(problem)") }
            print(report.description)
        }
    }
}

/// The bytes of a file, or one clear error naming it.
func readFile(_ path: String) throws -> Data {
    guard let data = FileManager.default.contents(atPath: path) else {
        throw FileNotReadable(path: path)
    }
    return data
}

/// A file that cannot be read.
struct FileNotReadable: Error, CustomStringConvertible {
    let path: String
    var description: String { "\(path): cannot read the file" }
}

import Foundation
import PortalCore
import PortalStore
import PortalTestSupport
import SQLKit
import Testing

@Suite(.enabled(if: SharedData.available, "needs ../shared/data"))
struct CatalogueImportTests {
    static func unitFiles(legacy: Bool = true) throws -> UnitImporter.Files {
        func file(_ path: String) throws -> (name: String, data: Data) { (path, try SharedData.data(path)) }
        var files = UnitImporter.Files(
            provinces: try file("vn-admin-units-2025/provinces.csv"),
            communes: try file("vn-admin-units-2025/communes.csv"))
        if legacy {
            files.legacyProvinces = try file("vn-admin-units-legacy/provinces.csv")
            files.legacyDistricts = try file("vn-admin-units-legacy/districts.csv")
            files.legacyWards = try file("vn-admin-units-legacy/wards.csv")
            files.wardMapping = try file("vn-admin-units-mapping-2025/ward_mapping.csv")
        }
        return files
    }

    static func count(_ table: String, _ database: Database) async throws -> Int {
        try await database.sql.raw("SELECT COUNT(*) AS n FROM \(ident: table)").first()?.decode(
            column: "n", as: Int.self) ?? -1
    }

    /// Imports everything the way the README says: units, agencies, procedures with details.
    static func importEverything(into database: Database) async throws -> [ImportReport] {
        var reports = try await UnitImporter(database: database).importUnits(try unitFiles())
        reports.append(
            try await AgencyImporter(database: database).importAgencies(
                csv: try SharedData.data("vn-agency-codes/agency_codes.csv"), csvName: "agency_codes.csv"))
        reports.append(
            try await ProcedureImporter(database: database).importCatalogue(
                csv: try SharedData.data("vn-admin-procedures/procedures.csv"), csvName: "procedures.csv",
                details: try SharedData.data("vn-admin-procedures/procedures_detail.jsonl.gz")))
        return reports
    }

    @Test(arguments: TestEngine.available)
    func theFullDataImportsWithTheRightCountsAndAgainWithoutDuplicates(engine: TestEngine) async throws {
        try await TestDatabases.withDatabase(engine) { database in
            // The demo catalogue first, as on a portal that has been running: the import updates its procedures.
            try await DemoCatalogue.bundled().loadIfEmpty(into: CatalogueStore(database: database))
            let reports = try await Self.importEverything(into: database)
            let byWhat = Dictionary(reports.map { ($0.what, $0) }, uniquingKeysWith: { first, _ in first })
            #expect(byWhat["provinces"]?.read == 34)
            #expect(byWhat["communes"]?.inserted == 3_321)
            #expect(byWhat["legacy wards"]?.inserted == 10_035)
            #expect(byWhat["ward mappings"]?.inserted == 10_604)
            #expect(byWhat["agencies"]?.read == 86)
            let procedures = try #require(byWhat["procedures"])
            let demoCount = try DemoCatalogue.bundled().procedures.count
            #expect(procedures.read == 2_642 && procedures.skipped == 0)
            #expect(procedures.updated == demoCount && procedures.inserted == 2_642 - demoCount)
            #expect(try await Self.count("procedures", database) == 2_642)
            #expect(try await Self.count("communes", database) == 3_321)
            #expect(try await Self.count("provinces", database) == 34)
            #expect(try await Self.count("legacy_provinces", database) == 63)
            #expect(try await Self.count("legacy_districts", database) == 696)
            #expect(try await Self.count("legacy_wards", database) == 10_035)
            #expect(try await Self.count("ward_mappings", database) == 10_604)

            let store = CatalogueStore(database: database)
            let birth = try #require(try await store.procedure(code: "1.001193"))
            #expect(birth.name == "Thủ tục đăng ký khai sinh")
            #expect(birth.groupSlug == "ho-tich")  // the portal's own grouping survives the import
            #expect(birth.ministryCode == "000.00.00.G15")
            #expect(birth.field == "Hộ tịch")
            #expect(!birth.documents.isEmpty && !birth.steps.isEmpty)
            #expect(birth.result == "Giấy khai sinh")  // the run-in "Mã: KQ.G15.000031" is cut off
            #expect(birth.resultCodes == ["KQ.G15.000031"])
            // The crawl gives a bare "1"; the curated time with its unit is kept.
            #expect(
                birth.processingTime
                    == (try DemoCatalogue.bundled().procedures.first { $0.code == "1.001193" })?.processingTime)
            #expect(try await store.communes(provinceCode: "01").count == 126)

            try await Self.realQueriesFindTheExpectedProcedureFirst(store)
            try await Self.searchFindsWhatTheTableFinds(store, database)

            let again = try await Self.importEverything(into: database)
            #expect(again.first { $0.what == "procedures" }?.updated == 2_642)
            #expect(again.first { $0.what == "procedures" }?.inserted == 0)
            #expect(again.first { $0.what == "communes" }?.updated == 3_321)
            #expect(try await Self.count("procedures", database) == 2_642)
            #expect(try await Self.count("ward_mappings", database) == 10_604)
        }
    }

    /// Queries people type, with and without accents, in Telex and VNI, and codes, over the full catalogue.
    static let realQueries: [(query: String, expected: String)] = [
        ("dang ky khai sinh", "1.001193"), ("Đăng ký khai sinh", "1.001193"), ("DANG KY KHAI SINH", "1.001193"),
        ("ddawng kys khai sinh", "1.001193"), ("d9a8ng ky1 khai sinh", "1.001193"), ("1.001193", "1.001193"),
        ("khai sinh", "1.001193"), ("ket hon", "1.000894"), ("đăng ký kết hôn", "1.000894"), ("khai tu", "1.000656"),
        ("thuong tru", "1.004222"), ("ddawng kys thuwowngf truws", "1.004222"), ("tam tru", "1.004194"),
        ("chung thuc chu ky", "2.000884"), ("chứng thực bản sao", "2.000815"), ("ho kinh doanh", "1.001612"),
        ("ly lich tu phap", "3.000333"), ("giay phep xay dung", "1.013225"), ("doi giay phep lai xe", "3.000347"),
        ("ho chieu", "1.001456"), ("nuoi con nuoi", "2.001263"), ("dang ky thue lan dau", "1.008498"),
        ("xac nhan tinh trang hon nhan", "1.004873"), ("khai bao tam vang", "1.003677"),
        ("trich luc ho tich", "2.000635"), ("cap lai the can cuoc", "1.014064"),
        ("thanh lap doanh nghiep tu nhan", "2.001610"), ("Khai báo tạm vắng", "1.003677"),
    ]

    /// The in-memory search matches exactly the procedures a scan of the table with `LIKE '% word%'` on the indexed
    /// texts finds, for every word, over the whole catalogue.
    static func searchFindsWhatTheTableFinds(_ store: CatalogueStore, _ database: Database) async throws {
        let queries =
            realQueries.map(\.query) + [
                "d", "gi", "giay", "to khai", "1.00", "uy ban nhan dan", "so", "cap doi", "nong nghiep", "xyz",
                "bo cong an", "bao hiem xa hoi", "g15", "quyet dinh", "dat dai",
            ]
        for query in queries {
            let wordsOnly = String(query.map { $0.isLetter || $0.isNumber || $0 == "." ? $0 : " " })
            let words = TypedVietnamese.foldQuery(wordsOnly).split(separator: " ")
            var sql: SQLQueryString = "SELECT code FROM procedures WHERE 1 = 1"
            for word in words {
                let pattern = "% \(word)%"
                sql = sql + " AND (search_text LIKE \(bind: pattern) OR body_text LIKE \(bind: pattern))"
            }
            let expected = Set(
                try await database.sql.raw(sql).all().map { try $0.decode(column: "code", as: String.self) })
            let found = try await store.search(query, perPage: 5_000)
            #expect(found.total == expected.count, "\(query)")
            #expect(Set(found.items.map(\.code)) == expected, "\(query)")
        }
    }

    static func realQueriesFindTheExpectedProcedureFirst(_ store: CatalogueStore) async throws {
        for (query, expected) in realQueries {
            let page = try await store.search(query, perPage: 5)
            #expect(page.items.first?.code == expected, "\(query): got \(page.items.map(\.code))")
        }
        // Filters narrow the results: every hit is at commune level and for citizens.
        let filtered = try await store.search(
            ProcedureFilter(query: "dang ky", level: .commune, audience: .citizen), perPage: 100)
        #expect(filtered.total > 0)
        #expect(filtered.items.allSatisfy { $0.levels.contains(.commune) && $0.audiences.contains(.citizen) })
        let byAgency = try await store.search(ProcedureFilter(agency: "G15"), perPage: 100)
        #expect(
            byAgency.total > 100
                && byAgency.items.allSatisfy {
                    $0.ministryCode == "000.00.00.G15" || CatalogueStore.agencyCodes(of: $0).contains("000.00.00.G15")
                })
        let byField = try await store.search(ProcedureFilter(field: "Hộ tịch"), perPage: 100)
        #expect(byField.total > 20 && byField.items.allSatisfy { $0.field == "Hộ tịch" })
    }

    @Test(arguments: TestEngine.available)
    func malformedRowsAreReportedByLineAndLeaveTheDatabaseUnchanged(engine: TestEngine) async throws {
        try await TestDatabases.withDatabase(engine) { database in
            let data = try SharedData.data("vn-admin-procedures/procedures.csv")
            // The second record (records may span lines) gets a code that is not a procedure code.
            let firstTwo = Array(
                try CSVReader(data: data, fileName: "procedures.csv", requiredColumns: []).records().prefix(2))
            let second = try firstTwo[1].get()
            let code = try #require(second["ma_thu_tuc"])
            let text = String(decoding: data, as: UTF8.self)
            let start = try #require(text.range(of: "\n" + code + ","))
            let broken = Data(text.replacingCharacters(in: start, with: "\nabc,").utf8)
            let importer = ProcedureImporter(database: database)
            do {
                _ = try await importer.importCatalogue(csv: broken, csvName: "procedures.csv")
                Issue.record("a bad row was accepted")
            } catch let error as ImportRejected {
                #expect(
                    error.problems.map(\.description) == [
                        "procedures.csv:\(second.line): ma_thu_tuc 'abc' is not a procedure code like 1.001193"
                    ])
            }
            #expect(try await Self.count("procedures", database) == 0)

            let skipped = try await importer.importCatalogue(
                csv: broken, csvName: "procedures.csv", options: ImportOptions(skipBad: true))
            #expect(skipped.skipped == 1 && skipped.inserted == 2_641)
            #expect(skipped.problems.map(\.line) == [second.line])
            #expect(try await Self.count("procedures", database) == 2_641)
        }
    }

    @Test(arguments: TestEngine.available)
    func missingColumnsAndWrongEncodingsAreRefusedBeforeAnyWrite(engine: TestEngine) async throws {
        try await TestDatabases.withDatabase(engine) { database in
            let importer = ProcedureImporter(database: database)
            let noColumn = Data("ma_thu_tuc,ten_thu_tuc\n1.001193,Đăng ký khai sinh\n".utf8)
            await #expect(throws: CSVError.self) {
                _ = try await importer.importCatalogue(csv: noColumn, csvName: "short.csv")
            }
            // A Latin-1 file: "é" as the single byte 0xE9 on line 2.
            var latin1 = Data("ma_thu_tuc,ten_thu_tuc\n1.001193,Caf".utf8)
            latin1.append(0xE9)
            latin1.append(contentsOf: Array("\n".utf8))
            do {
                _ = try await UnitImporter(database: database).importUnits(
                    UnitImporter.Files(
                        provinces: ("provinces.csv", latin1), communes: ("communes.csv", Data())))
                Issue.record("a Latin-1 file was accepted")
            } catch let error as CSVError {
                #expect(error.fileName == "provinces.csv" && error.line == 2)
            }
            let communes = try SharedData.data("vn-admin-units-2025/communes.csv")
            do {
                _ = try await UnitImporter(database: database).importUnits(
                    UnitImporter.Files(
                        provinces: (
                            "provinces.csv",
                            Data("code,name,full_name,type\n01,Hà Nội,Thành phố Hà Nội,Thành phố\n".utf8)
                        ),
                        communes: ("communes.csv", communes)))
                Issue.record("communes of unknown provinces were accepted")
            } catch let error as ImportRejected {
                #expect(error.problems.count == 3_321 - 126)
                #expect(error.problems.first?.description.contains("province_code") == true)
            }
            #expect(try await Self.count("provinces", database) == 0)
            #expect(try await Self.count("communes", database) == 0)
        }
    }
}

@Suite struct UnitImportValidationTests {
    @Test(arguments: TestEngine.available)
    func aRepeatedCodeIsABadRowNamedByItsLines(engine: TestEngine) async throws {
        try await TestDatabases.withDatabase(engine) { database in
            let provinces = Data(
                "code,name,full_name,type\n01,Hà Nội,Thành phố Hà Nội,Thành phố\n01,Hà Nội,Thành phố Hà Nội,Thành phố\n"
                    .utf8)
            let communes = Data("code,name,type,province_code\n00004,Phường Ba Đình,Phường,01\n".utf8)
            do {
                _ = try await UnitImporter(database: database).importUnits(
                    UnitImporter.Files(provinces: ("provinces.csv", provinces), communes: ("communes.csv", communes)))
                Issue.record("a repeated province was accepted")
            } catch let error as ImportRejected {
                #expect(error.problems.map(\.description) == ["provinces.csv:3: 01 is repeated (first on line 2)"])
            }
            let reports = try await UnitImporter(database: database).importUnits(
                UnitImporter.Files(provinces: ("provinces.csv", provinces), communes: ("communes.csv", communes)),
                options: ImportOptions(skipBad: true))
            #expect(
                reports.map(\.description) == [
                    "provinces: 2 read, 1 inserted, 0 updated, 1 skipped",
                    "communes: 1 read, 1 inserted, 0 updated, 0 skipped",
                ])
        }
    }
}

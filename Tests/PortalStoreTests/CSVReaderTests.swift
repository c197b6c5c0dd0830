import Foundation
import PortalStore
import Testing

@Suite struct CSVReaderTests {
    /// The repository's shared data folder, next to the repository: `<repo>/../shared/data`.
    static let dataDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // PortalStoreTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // repository root
        .appendingPathComponent("../shared/data")
        .standardizedFileURL
    static let proceduresURL = dataDirectory.appendingPathComponent("vn-admin-procedures/procedures.csv")
    static let communesURL = dataDirectory.appendingPathComponent("vn-admin-units-2025/communes.csv")
    static let hasProcedures = FileManager.default.fileExists(atPath: proceduresURL.path)
    static let hasCommunes = FileManager.default.fileExists(atPath: communesURL.path)

    /// Reads `text` as `test.csv` and returns every result.
    func read(_ text: String, required: [String] = []) throws(CSVError) -> [Result<CSVRecord, CSVError>] {
        try read(Data(text.utf8), required: required)
    }

    /// Reads `data` as `test.csv` and returns every result.
    func read(_ data: Data, required: [String] = []) throws(CSVError) -> [Result<CSVRecord, CSVError>] {
        Array(try CSVReader(data: data, fileName: "test.csv", requiredColumns: required).records())
    }

    /// The error of a reader that must refuse `data`.
    func refusal(_ data: Data, required: [String] = []) -> CSVError? {
        do {
            _ = try CSVReader(data: data, fileName: "test.csv", requiredColumns: required)
            return nil
        } catch {
            return error
        }
    }

    // MARK: - Well-formed files

    @Test func simpleRowsAreReadByColumnNameWithTheirLines() throws {
        let results = try read("code,name\n1.001193,Đăng ký khai sinh\n1.000894,Đăng ký kết hôn\n")
        let records = try results.map { try $0.get() }
        #expect(records.map(\.line) == [2, 3])
        #expect(records[0]["code"] == "1.001193")
        #expect(records[0]["name"] == "Đăng ký khai sinh")
        #expect(records[1].fields == ["code": "1.000894", "name": "Đăng ký kết hôn"])
        #expect(records[1]["missing"] == nil)
    }

    @Test func theRecordsCanBeReadTwice() throws {
        let reader = try CSVReader(data: Data("a\n1\n2\n".utf8), fileName: "x.csv", requiredColumns: [])
        let first = try reader.records().map { try $0.get() }
        let second = try reader.records().map { try $0.get() }
        #expect(first.map { $0["a"] } == ["1", "2"])
        #expect(second == first)
    }

    @Test func headerColumnsAreListedInFileOrder() throws {
        let reader = try CSVReader(data: Data("b,a,c\n".utf8), fileName: "x.csv", requiredColumns: ["a"])
        #expect(reader.columns == ["b", "a", "c"])
        #expect(Array(reader.records()).isEmpty)
    }

    @Test func quotedFieldsKeepCommasQuotesAndNewlines() throws {
        let text = "a,b,c\n\"x, y\",\"say \"\"hi\"\"\",\"line one\nline two\"\nplain,\"\",last\n"
        let records = try read(text).map { try $0.get() }
        #expect(records.count == 2)
        #expect(records[0]["a"] == "x, y")
        #expect(records[0]["b"] == "say \"hi\"")
        #expect(records[0]["c"] == "line one\nline two")
        #expect(records[1]["b"] == "")
        // The second record starts on line 4 because the first one spans lines 2 and 3.
        #expect(records.map(\.line) == [2, 4])
    }

    @Test func lineNumbersStayRightAfterSeveralMultiLineFields() throws {
        let text = "a,b\n\"1\n2\n3\",x\ny,\"p\r\nq\"\nlast,z\n"
        let records = try read(text).map { try $0.get() }
        #expect(records.map(\.line) == [2, 5, 7])
        #expect(records[1]["b"] == "p\r\nq")
    }

    @Test func crlfLineEndsAreNotPartOfTheLastField() throws {
        let records = try read("a,b\r\n1,2\r\n3,4\r\n").map { try $0.get() }
        #expect(records.map { $0["b"] } == ["2", "4"])
        #expect(records.map(\.line) == [2, 3])
    }

    @Test func aByteOrderMarkIsSkipped() throws {
        let data = Data([0xEF, 0xBB, 0xBF] + Array("code,name\n1,x\n".utf8))
        let reader = try CSVReader(data: data, fileName: "bom.csv", requiredColumns: ["code"])
        #expect(reader.columns == ["code", "name"])
        #expect(try reader.records().map { try $0.get()["code"] } == ["1"])
    }

    @Test func theLastRecordNeedsNoLineEnd() throws {
        let records = try read("a,b\n1,2\n3,4").map { try $0.get() }
        #expect(records.map { $0["b"] } == ["2", "4"])
    }

    @Test func emptyTrailingAndBlankLinesAreSkipped() throws {
        let records = try read("a,b\n1,2\n\n3,4\n\n\n").map { try $0.get() }
        #expect(records.map(\.line) == [2, 4])
    }

    @Test func emptyFieldsAtTheEndOfALineAndOfTheFileAreKept() throws {
        let records = try read("a,b,c\n1,,\n2,x,").map { try $0.get() }
        #expect(records[0].fields == ["a": "1", "b": "", "c": ""])
        #expect(records[1].fields == ["a": "2", "b": "x", "c": ""])
    }

    @Test func headerNamesAreTrimmed() throws {
        let reader = try CSVReader(
            data: Data(" a , b\r\n1,2\r\n".utf8), fileName: "x.csv", requiredColumns: ["a", "b"])
        #expect(reader.columns == ["a", "b"])
    }

    @Test func aLoneCarriageReturnInsideAFieldIsData() throws {
        let records = try read("a,b\n1\r2,3\n").map { try $0.get() }
        #expect(records[0]["a"] == "1\r2")
    }

    // MARK: - Refused files

    @Test func anEmptyFileHasNoHeader() {
        #expect(refusal(Data()) == CSVError(fileName: "test.csv", line: 1, reason: "missing header line"))
        #expect(refusal(Data("\n\n".utf8))?.reason == "missing header line")
    }

    @Test func missingRequiredColumnsAreNamedOnLineOne() {
        let error = refusal(Data("code,label\n1,x\n".utf8), required: ["code", "name", "ministry"])
        #expect(error == CSVError(fileName: "test.csv", line: 1, reason: "missing required columns: name, ministry"))
        #expect(error?.description == "test.csv:1: missing required columns: name, ministry")
        let one = refusal(Data("code\n".utf8), required: ["name"])
        #expect(one?.reason == "missing required column: name")
    }

    @Test func aRepeatedColumnIsRefused() {
        let error = refusal(Data("a,b,a\n".utf8))
        #expect(error?.line == 1)
        #expect(error?.reason.contains("'a'") == true)
    }

    @Test func latin1BytesAreReportedWithTheirLine() {
        // "Đăng ký" in Windows-1252/Latin-1 cannot be written; a typical export mangles "ký" into 0xFD.
        var bytes = Array("code,name\n1,ok\n2,k".utf8)
        bytes.append(0xFD)
        bytes += Array("\n3,ok\n".utf8)
        let error = refusal(Data(bytes))
        #expect(error?.line == 3)
        #expect(error?.reason.contains("UTF-8") == true)
        #expect(error?.description.hasPrefix("test.csv:3: ") == true)
    }

    @Test func windows1258FileIsReportedOnItsFirstBadLine() {
        // Windows-1258 encodes "ă" as 0xE3 and "ơ" as 0xF5; the first bad byte is on line 4.
        var bytes = Array("ma,ten\n1,Khai sinh\n2,Ket hon\n3,D".utf8)
        bytes += [0xE3, 0x6E, 0x67, 0x20, 0x6B, 0xFD]
        bytes += Array("\n4,C".utf8) + [0xF5] + Array("\n".utf8)
        #expect(refusal(Data(bytes))?.line == 4)
    }

    @Test(arguments: [
        [UInt8]([0xC0, 0x80]),  // overlong NUL
        [0xE0, 0x80, 0x80],  // overlong
        [0xED, 0xA0, 0x80],  // surrogate
        [0xF4, 0x90, 0x80, 0x80],  // above U+10FFFF
        [0xE1, 0x80],  // truncated at the end of the file
        [0x80],  // continuation byte alone
    ])
    func malformedUTF8SequencesAreRefused(sequence: [UInt8]) {
        let bytes = Array("a\nx".utf8) + sequence
        #expect(refusal(Data(bytes))?.line == 2)
    }

    @Test func wellFormedMultiByteCharactersAreAccepted() throws {
        // Two-, three- and four-byte sequences, including the edges of the ranges the check distinguishes.
        let text = "a\nđ\u{7FF}\u{800}\u{D7FF}\u{E000}\u{FFFF}\u{10000}\u{10FFFF}😀\n"
        let records = try read(text).map { try $0.get() }
        #expect(records[0]["a"] == "đ\u{7FF}\u{800}\u{D7FF}\u{E000}\u{FFFF}\u{10000}\u{10FFFF}😀")
    }

    // MARK: - Bad rows

    @Test func rowsWithTooManyOrTooFewFieldsAreReportedAndReadingGoesOn() throws {
        let results = try read("a,b\n1,2\n1,2,3\n\"multi\nline\"\n4,5\n")
        #expect(results.count == 4)
        #expect(try results[0].get()["a"] == "1")
        #expect(
            results[1] == .failure(CSVError(fileName: "test.csv", line: 3, reason: "has 3 fields, the header has 2")))
        // A short record is reported on the line where it starts.
        #expect(
            results[2] == .failure(CSVError(fileName: "test.csv", line: 4, reason: "has 1 field, the header has 2")))
        #expect(try results[3].get().line == 6)
    }

    @Test func anUnterminatedQuoteIsReportedWhereItOpensAndEndsTheFile() throws {
        let results = try read("a,b\n1,2\n3,\"open\n4,5\n6,7\n")
        #expect(results.count == 2)
        #expect(try results[0].get().line == 2)
        guard case .failure(let error) = try #require(results.last) else {
            Issue.record("expected a failure")
            return
        }
        #expect(error.line == 3)
        #expect(error.reason == "quoted field is never closed (the quote opens on this line)")
    }

    @Test func anUnterminatedQuoteInALaterLineOfARecordIsReportedOnThatLine() throws {
        let results = try read("a,b,c\n\"x\ny\",\"z\n")
        guard case .failure(let error) = try #require(results.last) else {
            Issue.record("expected a failure")
            return
        }
        #expect(error.line == 3)
        #expect(error.reason.contains("never closed"))
    }

    @Test func aQuoteInsideAnUnquotedFieldIsReportedAndTheNextLineIsRead() throws {
        let results = try read("a,b\n1,2\nab\"c,3\n4,5\n")
        #expect(results.count == 3)
        guard case .failure(let error) = results[1] else {
            Issue.record("expected a failure")
            return
        }
        #expect(error.line == 3)
        #expect(error.reason == "field 1 has a quote but does not start with one")
        #expect(try results[2].get()["b"] == "5")
    }

    @Test func aStrayQuoteAfterAMultiLineFieldIsReportedOnItsOwnLine() throws {
        let results = try read("a,b,c\n\"1\n2\",x\"y,z\nok,ok,ok\n")
        guard case .failure(let error) = results[0] else {
            Issue.record("expected a failure")
            return
        }
        #expect(error.line == 3)
        #expect(try results[1].get().line == 4)
    }

    @Test func textAfterAClosingQuoteIsReported() throws {
        let results = try read("a,b\n\"x\"y,2\n3,4\n")
        guard case .failure(let error) = results[0] else {
            Issue.record("expected a failure")
            return
        }
        #expect(error.line == 2)
        #expect(error.reason == "field 1 has text after its closing quote")
        #expect(try results[1].get()["a"] == "3")
    }

    @Test func aBadHeaderIsReportedAsTheHeader() {
        let error = refusal(Data("a,\"b\n".utf8))
        #expect(error?.line == 1)
        #expect(error?.reason.hasPrefix("header: ") == true)
    }

    @Test func errorsPrintAsFileColonLine() {
        #expect(CSVError(fileName: "procedures.csv", line: 17, reason: "bad").description == "procedures.csv:17: bad")
    }

    // MARK: - Real files

    @Test(.enabled(if: hasProcedures, "needs ../shared/data next to the repository"))
    func theRealProcedureCatalogueReadsCompletely() throws {
        let data = try Data(contentsOf: Self.proceduresURL)
        let required = [
            "ma_thu_tuc", "ten_thu_tuc", "bo_nganh", "so_quyet_dinh", "cap_thuc_hien", "loai_thu_tuc", "linh_vuc",
            "doi_tuong_thuc_hien", "co_quan_co_tham_quyen", "co_quan_thuc_hien", "dia_chi_tiep_nhan",
            "co_quan_duoc_uy_quyen", "co_quan_phoi_hop", "kenh_nop", "thoi_han", "thoi_han_so", "thoi_han_don_vi",
            "le_phi", "phi_trang_thai", "so_giay_to", "ma_ket_qua", "detail_url", "cung_xuat_hien_o",
        ]
        let reader = try CSVReader(data: data, fileName: "procedures.csv", requiredColumns: required)
        #expect(reader.columns == required)
        let records = try reader.records().map { try $0.get() }
        #expect(records.count == 2_642)
        #expect(Set(records.compactMap { $0["ma_thu_tuc"] }).count == 2_642)
        let first = try #require(records.first)
        #expect(first.line == 2)
        #expect(first["ma_thu_tuc"] == "1.000178")
        #expect(first["bo_nganh"] == "Bộ Công an")
        #expect(first["ten_thu_tuc"]?.hasPrefix("Giải quyết khiếu nại về quyết định hành chính, hành vi") == true)
        // Lines checked against Python's csv module: records after multi-line fields keep their physical line.
        let lines = Dictionary(uniqueKeysWithValues: records.map { ($0["ma_thu_tuc"] ?? "", $0.line) })
        #expect(lines["1.001471"] == 28)
        #expect(lines["1.002359"] == 30)
        #expect(lines["1.000894"] == 1_845)
        #expect(lines["1.001193"] == 1_850)
        #expect(records.last?.line == 3_033)
        #expect(records.last?["ma_thu_tuc"] == "3.000165")
        #expect(records.contains { $0["le_phi"]?.contains("\n") == true })
        #expect(records.allSatisfy { $0["detail_url"]?.hasPrefix("https://dichvucong.gov.vn/") == true })
    }

    @Test(.enabled(if: hasCommunes, "needs ../shared/data next to the repository"))
    func theRealCommuneListReadsCompletely() throws {
        let data = try Data(contentsOf: Self.communesURL)
        let reader = try CSVReader(
            data: data, fileName: "communes.csv", requiredColumns: ["code", "name", "type", "province_code"])
        let records = try reader.records().map { try $0.get() }
        #expect(records.count == 3_321)
        #expect(records.first?["name"] == "Phường Ba Đình")
        #expect(records.last?["name"] == "Xã Đất Mũi")
        #expect(records.last?.line == 3_322)
        #expect(records.allSatisfy { $0["code"]?.count == 5 })
    }

    @Test(.enabled(if: hasProcedures, "needs ../shared/data next to the repository"))
    func aLatin1CopyOfTheRealCatalogueIsReportedOnTheLineOfItsFirstAccent() throws {
        let scalars = try String(contentsOf: Self.proceduresURL, encoding: .utf8).unicodeScalars
        // Latin-1 has "á", "ý", "ê" but not "ả" or "ộ": those become "?", the rest single bytes above 0x7F.
        let latin1 = Data(scalars.map { $0.value < 0x100 ? UInt8($0.value) : UInt8(ascii: "?") })
        let firstLatin1 = try #require(scalars.firstIndex { (0x80..<0x100).contains($0.value) })
        let expectedLine = scalars[..<firstLatin1].filter { $0 == "\n" }.count + 1
        #expect(expectedLine == 2)  // "Bộ Công an" on the first record
        let error = refusal(latin1)
        #expect(error?.line == expectedLine)
        #expect(error?.fileName == "test.csv")
    }
}

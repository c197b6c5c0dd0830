import Foundation
import PortalCore
import Testing

@testable import PortalStore

/// A dossier that sync creates stores its applicant as JSON written by hand (`SyncItem.applicantColumn`), which must
/// be the very text `DossierStore.encode` makes of the same `Applicant`, as every other writer of the column does.
@Suite struct SyncApplicantColumnTests {
    static func item(type: Int, id: String, name: String) -> SyncItem {
        SyncItem(
            dossierCode: "000.00.00.H29-251207-0001", procedureCode: "1.001193", agency: "000.00.00.H29",
            applicantType: type, applicantID: id, applicantName: name, channel: 1, receivedAt: nil, dueAt: nil,
            status: .received, eventID: "e", eventAt: Date(timeIntervalSince1970: 0), note: nil)
    }

    static func encoded(type: Int, id: String, name: String) throws -> String {
        try DossierStore.encode(
            Applicant(
                accountType: type == 2 ? "business" : "citizen", fullName: name,
                personalID: type == 1 ? id : nil, taxCode: type == 2 ? id : nil, birthDate: nil, sex: nil,
                phone: nil, email: nil, provinceName: nil, communeName: nil))
    }

    /// Every ASCII character (the control characters, quote, backslash and slash among them), Vietnamese, emoji,
    /// the line and paragraph separators, a byte-order mark, and empty text.
    static let names: [String] = {
        var ascii = ""
        for value in 0..<0x80 { ascii.unicodeScalars.append(Unicode.Scalar(UInt8(value))) }
        return [
            "Nguyễn Văn An", "Công ty TNHH Một thành viên Hà Nội/Sài Gòn", ascii, "\u{2028}\u{2029}\u{FEFF}😀",
            "", "a\"b\\c/d", "\u{7F}\u{80}\u{9F}",
        ]
    }()

    @Test(arguments: [1, 2, 3])
    func columnIsWhatTheEncoderWrites(type: Int) throws {
        for name in Self.names {
            for id in ["001090001234", "0101234567-001", name] {
                let column = Self.item(type: type, id: id, name: name).applicantColumn()
                #expect(column == (try Self.encoded(type: type, id: id, name: name)), "type \(type): \(name)")
                // And it reads back as the applicant it stands for.
                let applicant = try DossierStore.decode(Applicant.self, column)
                #expect(applicant.fullName == name)
                #expect(applicant.personalID == (type == 1 ? id : nil))
                #expect(applicant.taxCode == (type == 2 ? id : nil))
            }
        }
    }
}

import Foundation
import PortalCore
import Testing

@Suite("Identifiers")
struct IdentifierTests {
    @Test func agencyIdentifiersAcceptTheFullAndShortForms() throws {
        let full = try AgencyIdentifier(validating: "000.00.53.H48")
        #expect(full.levelOneUnit == "H48" && !full.isLevelOneOnly && full.shortestForm == "000.00.53.H48")
        let short = try AgencyIdentifier(validating: "H29")
        #expect(short.fullForm == "000.00.00.H29" && short.description == "H29")
        #expect(short == (try AgencyIdentifier(validating: "000.00.00.H29")))
        #expect(try AgencyIdentifier(validating: "000.00.00.G22").shortestForm == "G22")
    }

    @Test(arguments: [
        ("h29", AgencyIdentifierError.invalidLevelOneUnit("h29")),
        ("H2", .invalidLevelOneUnit("H2")),
        ("00.00.00.H29", .invalidGroup("00", expectedDigits: 3)),
        ("000.0A.00.H29", .invalidGroup("0A", expectedDigits: 2)),
        ("000.00.H29", .wrongGroupCount(3)),
        ("", .invalidLevelOneUnit("")),
    ])
    func badAgencyIdentifiersNameTheWrongPart(_ text: String, _ error: AgencyIdentifierError) {
        #expect(throws: error) { try AgencyIdentifier(validating: text) }
    }

    /// Valid identifiers are recognised from their bytes; the rule written out by groups must agree on every
    /// one-character change of a valid identifier.
    @Test func theByteCheckAgreesWithTheRuleByGroups() {
        func digit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }
        func levelOne(_ group: Substring) -> Bool {
            let bytes = Array(group.utf8)
            return bytes.count == 3 && (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(bytes[0]) && digit(bytes[1])
                && digit(bytes[2])
        }
        func byGroups(_ text: String) -> Bool {
            let groups = text.split(separator: ".", omittingEmptySubsequences: false)
            switch groups.count {
            case 1: return levelOne(groups[0])
            case 4:
                return zip(groups.prefix(3), [3, 2, 2]).allSatisfy { $0.utf8.count == $1 && $0.utf8.allSatisfy(digit) }
                    && levelOne(groups[3])
            default: return false
            }
        }
        var texts: [String] = []
        for base in ["000.00.53.H48", "H29", "000.00.00.G22"] {
            let characters = Array(base)
            for index in characters.indices {
                for replacement in ["0", "9", "A", "Z", "a", ".", "-", " ", "é", "٣", "", "00", ".."] {
                    var changed = characters.map(String.init)
                    changed[index] = replacement
                    texts.append(changed.joined())
                    changed[index] = String(characters[index]) + replacement
                    texts.append(changed.joined())
                }
            }
        }
        for text in texts {
            #expect(((try? AgencyIdentifier(validating: text)) != nil) == byGroups(text), "\(text)")
        }
    }

    @Test func procedureCodesAcceptTheOptionalAgencySuffix() throws {
        let plain = try ProcedureCode(validating: "1.001193")
        #expect(plain.agency == nil && plain.description == "1.001193")
        let suffixed = try ProcedureCode(validating: "1.001193.000.00.00.H29")
        #expect(suffixed.base == "1.001193" && suffixed.agency?.levelOneUnit == "H29")
        #expect(suffixed.national == plain && suffixed.description == "1.001193.000.00.00.H29")
        for bad in ["1.00119", "1001193", "12.001193", "1.001193.H29", "1.001193.000.00.00.h29", "a.001193"] {
            #expect(ProcedureCode(bad) == nil, "\(bad)")
        }
        #expect(throws: ProcedureCodeError.invalidAgencySuffix("000.00.00.h29")) {
            try ProcedureCode(validating: "1.001193.000.00.00.h29")
        }
    }

    @Test func dossierCodesFormatParseAndRoundTrip() throws {
        let agency = try AgencyIdentifier(validating: "000.00.53.H48")
        let code = try DossierCode(agency: agency, receivedAt: try instant("2026-04-29T09:15"), sequence: 7)
        #expect(code.description == "000.00.53.H48-260429-0007")
        #expect(try DossierCode(validating: code.description) == code)
        let big = try DossierCode(validating: "H29-260429-12345")
        #expect(
            big.sequence == 12_345 && big.agency.fullForm == "000.00.00.H29" && big.description == "H29-260429-12345")
        let json = try JSONEncoder().encode(code)
        #expect(try JSONDecoder().decode(DossierCode.self, from: json) == code)
    }

    @Test(arguments: [
        ("H29-260429", DossierCodeError.wrongPartCount(2)),
        ("H29-260230-0001", .invalidDate("260230")),
        ("H29-26042-0001", .invalidDate("26042")),
        ("H29-260429-001", .invalidSequence("001")),
        ("H29-260429-00001", .invalidSequence("00001")),
        ("H29-260429-0000", .sequenceOutOfRange(0)),
        ("H29-260429-00a1", .invalidSequence("00a1")),
        ("x29-260429-0001", .invalidAgency(.invalidLevelOneUnit("x29"))),
        // Codes are read as bytes: characters that are not ASCII fail the part they stand in.
        ("H29-26042٩-0001", .invalidDate("26042٩")),
        ("H29-260429-000١", .invalidSequence("000١")),
        ("Ḣ29-260429-0001", .invalidAgency(.invalidLevelOneUnit("Ḣ29"))),
        ("000.0٠.00.H29-260429-0001", .invalidAgency(.invalidGroup("0٠", expectedDigits: 2))),
        ("H29-260429-0001-", .wrongPartCount(4)),
    ])
    func badDossierCodesNameTheWrongPart(_ text: String, _ error: DossierCodeError) {
        #expect(throws: error) { try DossierCode(validating: text) }
        #expect(!error.messageVi.isEmpty && !error.messageEn.isEmpty)
    }

    @Test func theDossierDateIsTheLocalDateSo2330UTCIsTheNextDay() throws {
        let agency = try AgencyIdentifier(validating: "H29")
        let lateUTC = try #require(VietnamTime.parseISO8601("2026-04-28T23:30:00Z"))
        #expect(try DossierCode(agency: agency, receivedAt: lateUTC, sequence: 1).description == "H29-260429-0001")
    }

    @Test func theDailySequenceRollsOverAtMidnightLocalTimePerAgency() throws {
        let hanoi = try AgencyIdentifier(validating: "H29")
        let hue = try AgencyIdentifier(validating: "000.00.00.H46")
        var allocator = DossierCodeAllocator()
        #expect(
            try allocator.next(agency: hanoi, receivedAt: try instant("2026-04-29T08:00")).description
                == "H29-260429-0001")
        #expect(
            try allocator.next(agency: hanoi, receivedAt: try instant("2026-04-29T23:59:59")).description
                == "H29-260429-0002")
        #expect(
            try allocator.next(agency: hue, receivedAt: try instant("2026-04-29T23:59:59")).description
                == "000.00.00.H46-260429-0001")
        // 2026-04-29T17:00Z is local midnight: a new day and a new sequence.
        let midnight = try #require(VietnamTime.parseISO8601("2026-04-29T17:00:00Z"))
        #expect(try allocator.next(agency: hanoi, receivedAt: midnight).description == "H29-260430-0001")
        #expect(allocator.lastIssued[DailySequenceKey(agency: hanoi, date: try date("2026-04-29"))] == 2)
        let resumed = DossierCodeAllocator(lastIssued: [
            DailySequenceKey(agency: hanoi, date: try date("2026-04-30")): 9_999
        ])
        var copy = resumed
        #expect(try copy.next(agency: hanoi, receivedAt: midnight).description == "H29-260430-10000")
    }

    // MARK: Personal ID

    @Test func personalIDsDecodeProvinceCenturySexAndBirthYear() throws {
        let id = try PersonalID(validating: "001099012345")
        #expect(id.provinceCode == "001" && id.sex == .male && id.birthYear == 1999 && id.serial == "012345")
        try id.validate(birthDate: try date("1999-05-01"), sex: .male)
        let girl = try PersonalID(validating: "079305000001")
        #expect(girl.sex == .female && girl.birthYear == 2005)
        #expect(try PersonalID(validating: "096800000001").birthYear == 2300)  // 8/9 = 2300s (Circular 59/2021)
        #expect(PersonalID.birthRegistrationProvinceCodes.count == 63)
    }

    @Test(arguments: [
        ("00109901234", PersonalIDError.wrongLength(11)),
        ("00109901234a", .notDigits),
        ("003099012345", .unknownProvince("003")),
        ("100099012345", .unknownProvince("100")),
    ])
    func malformedPersonalIDsNameTheWrongPart(_ text: String, _ error: PersonalIDError) {
        #expect(throws: error) { try PersonalID(validating: text) }
    }

    @Test func aPersonalIDThatDisagreesWithTheBirthDateOrSexSaysWhichPart() throws {
        let id = try PersonalID(validating: "001099012345")
        #expect(throws: PersonalIDError.birthYearMismatch(encoded: 1999, actual: 1998)) {
            try id.validate(birthDate: try date("1998-05-01"), sex: .male)
        }
        #expect(throws: PersonalIDError.centuryMismatch(encoded: 1900, actual: 2099)) {
            try id.validate(birthDate: try date("2099-05-01"), sex: .male)
        }
        #expect(throws: PersonalIDError.sexMismatch(encoded: .male, actual: .female)) {
            try id.validate(birthDate: try date("1999-05-01"), sex: .female)
        }
        #expect(throws: PersonalIDError.birthYearOutOfRange(1899)) {
            try id.validate(birthDate: try date("1899-05-01"), sex: .male)
        }
    }

    @Test func generatedPersonalIDsValidateAndEveryDetectableCorruptionIsCaught() throws {
        var generator = SplitMix64(seed: 59_2021)
        let provinces = PersonalID.birthRegistrationProvinceCodes.sorted()
        for _ in 0..<300 {
            let sex: Sex = Bool.random(using: &generator) ? .male : .female
            let birth = LocalDate(dayNumber: Int.random(in: -25_000...20_000, using: &generator))
            let digit = try #require(PersonalID.centuryAndSexDigit(birthYear: birth.year, sex: sex))
            let serial = (0..<6).map { _ in String(Int.random(in: 0...9, using: &generator)) }.joined()
            let province = provinces[Int.random(in: 0..<provinces.count, using: &generator)]
            let text = province + "\(digit)" + String(birth.year % 100 + 100).dropFirst() + serial
            let id = try PersonalID(validating: text)
            try id.validate(birthDate: birth, sex: sex)
            var characters = Array(text)
            for position in 0..<6 {
                for replacement in "0123456789" where replacement != characters[position] {
                    let original = characters[position]
                    characters[position] = replacement
                    let corrupted = String(characters)
                    characters[position] = original
                    let caught: Bool
                    do {
                        try PersonalID(validating: corrupted).validate(birthDate: birth, sex: sex)
                        caught = false
                    } catch {
                        caught = true
                    }
                    // Digits 1–3 are caught when they leave the province list; digits 4–6 always.
                    let expected =
                        position < 3
                        ? !PersonalID.birthRegistrationProvinceCodes.contains(String(corrupted.prefix(3))) : true
                    #expect(caught == expected, "\(corrupted) from \(text)")
                }
            }
        }
    }

    // MARK: Tax code

    @Test func realTaxCodesValidateWithTheirBranches() throws {
        #expect(try TaxCode(validating: "0100109106").description == "0100109106")
        #expect(try TaxCode(validating: "0100233488").base == "0100233488")
        let branch = try TaxCode(validating: "0100109106-001")
        #expect(branch.isBranch && branch.branch == "001")
        #expect(try TaxCode(validating: "0100109106001") == branch)
        #expect(TaxCode.checkDigit(forFirstNine: [0, 1, 0, 0, 1, 0, 9, 1, 0]) == 6)
    }

    @Test(arguments: [
        ("0100109107", TaxCodeError.checkDigitMismatch(expected: 6, found: 7)),
        ("010010910", .malformed),
        ("0100109106-01", .malformed),
        ("0100109106-000", .zeroBranch),
        ("01001O9106", .notDigits),
        ("0100000000", .zeroSequence),
        ("0100109106-001-002", .malformed),
    ])
    func badTaxCodesNameTheProblem(_ text: String, _ error: TaxCodeError) {
        #expect(throws: error) { try TaxCode(validating: text) }
    }

    @Test func generatedTaxCodesValidateAndEverySingleDigitCorruptionIsCaught() throws {
        var generator = SplitMix64(seed: 105_2020)
        var generated = 0
        var noCheckDigit = 0
        while generated < 500 {
            let firstNine = (0..<9).map { _ in Int.random(in: 0...9, using: &generator) }
            guard firstNine[2...].contains(where: { $0 != 0 }) else { continue }
            guard let check = TaxCode.checkDigit(forFirstNine: firstNine) else {
                noCheckDigit += 1
                let text = firstNine.map(String.init).joined() + "0"
                #expect(throws: TaxCodeError.noValidCheckDigit) { try TaxCode(validating: text) }
                continue
            }
            generated += 1
            let digits = firstNine + [check]
            let text = digits.map(String.init).joined()
            _ = try TaxCode(validating: text)
            for position in 0..<10 {
                for replacement in 0...9 where replacement != digits[position] {
                    var corrupted = digits
                    corrupted[position] = replacement
                    // The weights are all non-zero modulo 11, so every single-digit change moves the sum.
                    #expect(TaxCode(corrupted.map(String.init).joined()) == nil, "\(corrupted) from \(text)")
                }
            }
        }
        #expect(noCheckDigit > 0)
    }
}

import Foundation
import PortalCore
import Testing

@Suite("Holiday table")
struct HolidayTableTests {
    @Test func theBuiltInTableCoversTheStatutoryHolidaysOf2024To2030() throws {
        let table = HolidayTable.vietnam
        #expect(table.count == 97)
        for year in 2024...2030 {
            let holidays = table.entries.filter { $0.date.year == year && $0.kind == .holiday }
            // Labour Code 2019 art. 112(1): 11 days a year (1 + 5 Tết + 1 + 1 + 2 + 1).
            #expect(holidays.count == 11, "year \(year)")
            #expect(table.entry(on: try date("\(year)-04-30"))?.kind == .holiday)
            #expect(table.entry(on: try date("\(year)-05-01"))?.kind == .holiday)
            #expect(table.entry(on: try date("\(year)-09-02"))?.kind == .holiday)
            let status: HolidayStatus = year <= 2026 ? .announced : .statutory
            #expect(table.entries.filter { $0.date.year == year }.allSatisfy { $0.status == status })
        }
        #expect(table.entry(on: try date("2030-02-02"))?.nameVi.contains("mùng 1") == true)
        #expect(table.entry(on: try date("2026-01-10"))?.kind == .makeUpWorkingDay)
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: sharedDataDirectory.path + "/vn-holidays/holidays.csv")))
    func theBuiltInTableMatchesTheSourcedCSV() throws {
        let text = try String(
            contentsOf: sharedDataDirectory.appendingPathComponent("vn-holidays/holidays.csv"), encoding: .utf8)
        let parsed = try HolidayTable(csv: text)
        #expect(parsed == HolidayTable.vietnam)
    }

    @Test func theTableRoundTripsThroughItsOwnCSVAndJSON() throws {
        #expect(try HolidayTable(csv: HolidayTable.vietnam.csv) == HolidayTable.vietnam)
        let json = try JSONEncoder().encode(HolidayTable.vietnam)
        #expect(try JSONDecoder().decode(HolidayTable.self, from: json) == HolidayTable.vietnam)
    }

    @Test func aNewlyAnnouncedScheduleIsADataChange() throws {
        let csv = """
            date,kind,name_vi,name_en
            2027-02-05,holiday,"Tết Nguyên đán, 29 Chạp",Lunar New Year
            2027-02-08,compensatory_day_off,Nghỉ hoán đổi,Swapped day off
            2027-02-20,makeup_working_day,Làm bù,Make-up working day
            """
        let announced = try HolidayTable(csv: csv)
        #expect(announced.entry(on: try date("2027-02-05"))?.nameVi == "Tết Nguyên đán, 29 Chạp")
        let table = try HolidayTable.vietnam.replacingYear(2027, with: announced.entries)
        let calendar = WorkingCalendar(holidays: table)
        #expect(calendar.isWorkingDay(try date("2027-02-20")))
        #expect(!calendar.isWorkingDay(try date("2027-02-08")))
        #expect(WorkingCalendar.vietnam.isWorkingDay(try date("2027-02-08")) == false)  // statutory Tết day
        #expect(table.entries.filter { $0.date.year == 2027 }.count == 3)
        let edited = try table.setting(
            HolidayEntry(
                date: try date("2027-11-24"), kind: .holiday, nameVi: "Ngày Văn hóa Việt Nam", nameEn: "Culture Day"))
        #expect(!WorkingCalendar(holidays: edited).isWorkingDay(try date("2027-11-24")))
        #expect(
            WorkingCalendar(holidays: edited.removing(on: try date("2027-11-24"))).isWorkingDay(try date("2027-11-24")))
    }

    // SAFETY: the force-unwrapped dates below are constant, valid dates.
    @Test(arguments: [
        ("date,kind,name_vi\n", HolidayTableError.missingColumn("name_en")),
        ("date,kind,name_vi,name_en\n2026-13-01,holiday,a,b\n", .invalidDate(line: 2, value: "2026-13-01")),
        ("date,kind,name_vi,name_en\n2026-01-01,party,a,b\n", .invalidKind(line: 2, value: "party")),
        ("date,kind,name_vi,name_en\n2026-01-01,holiday,a\n", .malformedLine(line: 2)),
        ("date,kind,name_vi,name_en\n2026-01-01,holiday,\"a,b\n", .malformedLine(line: 2)),
        (
            "date,kind,name_vi,name_en\n2026-01-01,holiday,a,b\n2026-01-01,holiday,c,d\n",
            .duplicateDate(LocalDate(year: 2026, month: 1, day: 1)!)
        ),
        (
            "date,kind,name_vi,name_en\n2026-01-07,makeup_working_day,a,b\n",
            .makeUpDayNotOnWeekend(LocalDate(year: 2026, month: 1, day: 7)!)
        ),
        (
            "date,kind,name_vi,name_en,status\n2026-01-01,holiday,a,b,rumoured\n",
            .invalidStatus(line: 2, value: "rumoured")
        ),
    ])
    func badHolidayCSVIsRejectedWithTheLineAndProblem(_ csv: String, _ error: HolidayTableError) {
        #expect(throws: error) { try HolidayTable(csv: csv) }
        #expect(!error.messageVi.isEmpty && !error.messageEn.isEmpty)
    }
}

import PortalCore
import PortalStore
import PortalTestSupport
import Testing

@Suite struct HolidayStoreTests {
    @Test(arguments: TestEngine.available)
    func aNewlyAnnouncedScheduleIsStoredAndReplacesTheBuiltInTable(engine: TestEngine) async throws {
        try await TestDatabases.withDatabase(engine) { database in
            let store = HolidayStore(database: database)
            #expect(try await store.table() == .vietnam)
            // An administrator announces an extra day off in 2027: a data change, then the calendar follows it.
            let extra = try #require(LocalDate("2027-06-14"))
            let announced = try HolidayTable.vietnam.setting(
                HolidayEntry(
                    date: extra, kind: .compensatoryDayOff, nameVi: "Nghỉ hoán đổi", nameEn: "Swapped day off",
                    status: .announced))
            try await store.replace(with: announced)
            let stored = try await store.table()
            #expect(stored == announced)
            #expect(stored.entry(on: extra)?.kind == .compensatoryDayOff)
            let calendar = WorkingCalendar(schedule: .standard, holidays: stored)
            #expect(!calendar.isWorkingDay(extra))
            #expect(WorkingCalendar.vietnam.isWorkingDay(extra))
        }
    }
}

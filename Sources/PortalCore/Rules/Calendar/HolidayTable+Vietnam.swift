extension HolidayTable {
    /// Vietnam's public-servant schedule for 2024–2030, built from the Labour Code 2019 art. 111–112 and the
    /// Government's announced schedules; 2027–2030 are `statutory` (tentative) until their notices come out.
    ///
    /// Replace a year's rows with ``replacingYear(_:with:)`` or load a newer table with ``init(csv:)``.
    public static let vietnam: HolidayTable = {
        let rows: [(String, HolidayKind, String, String, HolidayStatus)] = [
            ("2024-01-01", .holiday, "Tết Dương lịch", "New Year's Day", .announced),
            (
                "2024-02-08", .holiday, "Tết Nguyên đán (29 tháng Chạp năm Quý Mão)",
                "Lunar New Year (Tết), day 29 of the 12th lunar month (Quý Mão)", .announced
            ),
            (
                "2024-02-09", .holiday, "Tết Nguyên đán (30 tháng Chạp năm Quý Mão)",
                "Lunar New Year (Tết), day 30 of the 12th lunar month (Quý Mão)", .announced
            ),
            (
                "2024-02-10", .holiday, "Tết Nguyên đán (mùng 1 tháng Giêng năm Giáp Thìn)",
                "Lunar New Year (Tết), day 1 of the 1st lunar month (Giáp Thìn)", .announced
            ),
            (
                "2024-02-11", .holiday, "Tết Nguyên đán (mùng 2 tháng Giêng năm Giáp Thìn)",
                "Lunar New Year (Tết), day 2 of the 1st lunar month (Giáp Thìn)", .announced
            ),
            (
                "2024-02-12", .holiday, "Tết Nguyên đán (mùng 3 tháng Giêng năm Giáp Thìn)",
                "Lunar New Year (Tết), day 3 of the 1st lunar month (Giáp Thìn)", .announced
            ),
            (
                "2024-02-13", .compensatoryDayOff,
                "Nghỉ bù Tết Nguyên đán (ngày lễ 10/02/2024 trùng ngày nghỉ hằng tuần)",
                "Compensatory day off for Lunar New Year (2024-02-10 fell on a weekend)", .announced
            ),
            (
                "2024-02-14", .compensatoryDayOff,
                "Nghỉ bù Tết Nguyên đán (ngày lễ 11/02/2024 trùng ngày nghỉ hằng tuần)",
                "Compensatory day off for Lunar New Year (2024-02-11 fell on a weekend)", .announced
            ),
            (
                "2024-04-18", .holiday, "Giỗ Tổ Hùng Vương (10 tháng 3 âm lịch)",
                "Hung Kings' Commemoration Day (10th day of 3rd lunar month)", .announced
            ),
            (
                "2024-04-29", .compensatoryDayOff, "Nghỉ hoán đổi dịp 30/4 - 1/5 (làm bù thứ Bảy 04/05/2024)",
                "Day off swapped for Reunification Day / Labour Day (worked on 2024-05-04)", .announced
            ),
            (
                "2024-04-30", .holiday, "Ngày Chiến thắng (Giải phóng miền Nam, thống nhất đất nước)",
                "Reunification Day", .announced
            ),
            ("2024-05-01", .holiday, "Ngày Quốc tế Lao động", "International Labour Day", .announced),
            (
                "2024-05-04", .makeUpWorkingDay, "Làm bù cho ngày nghỉ 29/04/2024 (dịp 30/4 - 1/5)",
                "Make-up working day for the 2024-04-29 day off (Reunification Day / Labour Day)", .announced
            ),
            ("2024-09-02", .holiday, "Quốc khánh", "National Day", .announced),
            ("2024-09-03", .holiday, "Quốc khánh (ngày liền kề)", "National Day (adjacent day)", .announced),
            ("2025-01-01", .holiday, "Tết Dương lịch", "New Year's Day", .announced),
            (
                "2025-01-27", .holiday, "Tết Nguyên đán (28 tháng Chạp năm Giáp Thìn)",
                "Lunar New Year (Tết), day 28 of the 12th lunar month (Giáp Thìn)", .announced
            ),
            (
                "2025-01-28", .holiday, "Tết Nguyên đán (29 tháng Chạp năm Giáp Thìn)",
                "Lunar New Year (Tết), day 29 of the 12th lunar month (Giáp Thìn)", .announced
            ),
            (
                "2025-01-29", .holiday, "Tết Nguyên đán (mùng 1 tháng Giêng năm Ất Tỵ)",
                "Lunar New Year (Tết), day 1 of the 1st lunar month (Ất Tỵ)", .announced
            ),
            (
                "2025-01-30", .holiday, "Tết Nguyên đán (mùng 2 tháng Giêng năm Ất Tỵ)",
                "Lunar New Year (Tết), day 2 of the 1st lunar month (Ất Tỵ)", .announced
            ),
            (
                "2025-01-31", .holiday, "Tết Nguyên đán (mùng 3 tháng Giêng năm Ất Tỵ)",
                "Lunar New Year (Tết), day 3 of the 1st lunar month (Ất Tỵ)", .announced
            ),
            (
                "2025-04-07", .holiday, "Giỗ Tổ Hùng Vương (10 tháng 3 âm lịch)",
                "Hung Kings' Commemoration Day (10th day of 3rd lunar month)", .announced
            ),
            (
                "2025-04-26", .makeUpWorkingDay, "Làm bù cho ngày nghỉ 02/05/2025 (dịp 30/4 - 1/5)",
                "Make-up working day for the 2025-05-02 day off (Reunification Day / Labour Day)", .announced
            ),
            (
                "2025-04-30", .holiday, "Ngày Chiến thắng (Giải phóng miền Nam, thống nhất đất nước)",
                "Reunification Day", .announced
            ),
            ("2025-05-01", .holiday, "Ngày Quốc tế Lao động", "International Labour Day", .announced),
            (
                "2025-05-02", .compensatoryDayOff, "Nghỉ hoán đổi dịp 30/4 - 1/5 (làm bù thứ Bảy 26/04/2025)",
                "Day off swapped for Reunification Day / Labour Day (worked on 2025-04-26)", .announced
            ),
            ("2025-09-01", .holiday, "Quốc khánh (ngày liền kề)", "National Day (adjacent day)", .announced),
            ("2025-09-02", .holiday, "Quốc khánh", "National Day", .announced),
            ("2026-01-01", .holiday, "Tết Dương lịch", "New Year's Day", .announced),
            (
                "2026-01-02", .compensatoryDayOff, "Nghỉ hoán đổi dịp Tết Dương lịch (làm bù thứ Bảy 10/01/2026)",
                "Day off swapped for New Year (worked on 2026-01-10)", .announced
            ),
            (
                "2026-01-10", .makeUpWorkingDay, "Làm bù cho ngày nghỉ 02/01/2026 (dịp Tết Dương lịch)",
                "Make-up working day for the 2026-01-02 day off (New Year)", .announced
            ),
            (
                "2026-02-16", .holiday, "Tết Nguyên đán (29 tháng Chạp năm Ất Tỵ)",
                "Lunar New Year (Tết), day 29 of the 12th lunar month (Ất Tỵ)", .announced
            ),
            (
                "2026-02-17", .holiday, "Tết Nguyên đán (mùng 1 tháng Giêng năm Bính Ngọ)",
                "Lunar New Year (Tết), day 1 of the 1st lunar month (Bính Ngọ)", .announced
            ),
            (
                "2026-02-18", .holiday, "Tết Nguyên đán (mùng 2 tháng Giêng năm Bính Ngọ)",
                "Lunar New Year (Tết), day 2 of the 1st lunar month (Bính Ngọ)", .announced
            ),
            (
                "2026-02-19", .holiday, "Tết Nguyên đán (mùng 3 tháng Giêng năm Bính Ngọ)",
                "Lunar New Year (Tết), day 3 of the 1st lunar month (Bính Ngọ)", .announced
            ),
            (
                "2026-02-20", .holiday, "Tết Nguyên đán (mùng 4 tháng Giêng năm Bính Ngọ)",
                "Lunar New Year (Tết), day 4 of the 1st lunar month (Bính Ngọ)", .announced
            ),
            (
                "2026-04-26", .holiday, "Giỗ Tổ Hùng Vương (10 tháng 3 âm lịch)",
                "Hung Kings' Commemoration Day (10th day of 3rd lunar month)", .announced
            ),
            (
                "2026-04-27", .compensatoryDayOff,
                "Nghỉ bù Giỗ Tổ Hùng Vương (ngày lễ 26/04/2026 trùng ngày nghỉ hằng tuần)",
                "Compensatory day off for Hung Kings' Commemoration Day (2026-04-26 fell on a weekend)", .announced
            ),
            (
                "2026-04-30", .holiday, "Ngày Chiến thắng (Giải phóng miền Nam, thống nhất đất nước)",
                "Reunification Day", .announced
            ),
            ("2026-05-01", .holiday, "Ngày Quốc tế Lao động", "International Labour Day", .announced),
            (
                "2026-08-22", .makeUpWorkingDay, "Làm bù cho ngày nghỉ 31/08/2026 (dịp Quốc khánh 2/9)",
                "Make-up working day for the 2026-08-31 day off (National Day)", .announced
            ),
            (
                "2026-08-31", .compensatoryDayOff, "Nghỉ hoán đổi dịp Quốc khánh 2/9 (làm bù thứ Bảy 22/08/2026)",
                "Day off swapped for National Day (worked on 2026-08-22)", .announced
            ),
            ("2026-09-01", .holiday, "Quốc khánh (ngày liền kề)", "National Day (adjacent day)", .announced),
            ("2026-09-02", .holiday, "Quốc khánh", "National Day", .announced),
            ("2027-01-01", .holiday, "Tết Dương lịch", "New Year's Day", .statutory),
            (
                "2027-02-04", .holiday, "Tết Nguyên đán (28 tháng Chạp năm Bính Ngọ)",
                "Lunar New Year (Tết), day 28 of the 12th lunar month (Bính Ngọ)", .statutory
            ),
            (
                "2027-02-05", .holiday, "Tết Nguyên đán (29 tháng Chạp năm Bính Ngọ)",
                "Lunar New Year (Tết), day 29 of the 12th lunar month (Bính Ngọ)", .statutory
            ),
            (
                "2027-02-06", .holiday, "Tết Nguyên đán (mùng 1 tháng Giêng năm Đinh Mùi)",
                "Lunar New Year (Tết), day 1 of the 1st lunar month (Đinh Mùi)", .statutory
            ),
            (
                "2027-02-07", .holiday, "Tết Nguyên đán (mùng 2 tháng Giêng năm Đinh Mùi)",
                "Lunar New Year (Tết), day 2 of the 1st lunar month (Đinh Mùi)", .statutory
            ),
            (
                "2027-02-08", .holiday, "Tết Nguyên đán (mùng 3 tháng Giêng năm Đinh Mùi)",
                "Lunar New Year (Tết), day 3 of the 1st lunar month (Đinh Mùi)", .statutory
            ),
            (
                "2027-02-09", .compensatoryDayOff,
                "Nghỉ bù Tết Nguyên đán (ngày lễ 06/02/2027 trùng ngày nghỉ hằng tuần)",
                "Compensatory day off for Lunar New Year (2027-02-06 fell on a weekend)", .statutory
            ),
            (
                "2027-02-10", .compensatoryDayOff,
                "Nghỉ bù Tết Nguyên đán (ngày lễ 07/02/2027 trùng ngày nghỉ hằng tuần)",
                "Compensatory day off for Lunar New Year (2027-02-07 fell on a weekend)", .statutory
            ),
            (
                "2027-04-16", .holiday, "Giỗ Tổ Hùng Vương (10 tháng 3 âm lịch)",
                "Hung Kings' Commemoration Day (10th day of 3rd lunar month)", .statutory
            ),
            (
                "2027-04-30", .holiday, "Ngày Chiến thắng (Giải phóng miền Nam, thống nhất đất nước)",
                "Reunification Day", .statutory
            ),
            ("2027-05-01", .holiday, "Ngày Quốc tế Lao động", "International Labour Day", .statutory),
            (
                "2027-05-03", .compensatoryDayOff, "Nghỉ bù 30/4 - 1/5 (ngày lễ 01/05/2027 trùng ngày nghỉ hằng tuần)",
                "Compensatory day off for Reunification Day / Labour Day (2027-05-01 fell on a weekend)", .statutory
            ),
            ("2027-09-02", .holiday, "Quốc khánh", "National Day", .statutory),
            ("2027-09-03", .holiday, "Quốc khánh (ngày liền kề)", "National Day (adjacent day)", .statutory),
            ("2028-01-01", .holiday, "Tết Dương lịch", "New Year's Day", .statutory),
            (
                "2028-01-03", .compensatoryDayOff,
                "Nghỉ bù Tết Dương lịch (ngày lễ 01/01/2028 trùng ngày nghỉ hằng tuần)",
                "Compensatory day off for New Year's Day (2028-01-01 fell on a weekend)", .statutory
            ),
            (
                "2028-01-24", .holiday, "Tết Nguyên đán (28 tháng Chạp năm Đinh Mùi)",
                "Lunar New Year (Tết), day 28 of the 12th lunar month (Đinh Mùi)", .statutory
            ),
            (
                "2028-01-25", .holiday, "Tết Nguyên đán (29 tháng Chạp năm Đinh Mùi)",
                "Lunar New Year (Tết), day 29 of the 12th lunar month (Đinh Mùi)", .statutory
            ),
            (
                "2028-01-26", .holiday, "Tết Nguyên đán (mùng 1 tháng Giêng năm Mậu Thân)",
                "Lunar New Year (Tết), day 1 of the 1st lunar month (Mậu Thân)", .statutory
            ),
            (
                "2028-01-27", .holiday, "Tết Nguyên đán (mùng 2 tháng Giêng năm Mậu Thân)",
                "Lunar New Year (Tết), day 2 of the 1st lunar month (Mậu Thân)", .statutory
            ),
            (
                "2028-01-28", .holiday, "Tết Nguyên đán (mùng 3 tháng Giêng năm Mậu Thân)",
                "Lunar New Year (Tết), day 3 of the 1st lunar month (Mậu Thân)", .statutory
            ),
            (
                "2028-04-04", .holiday, "Giỗ Tổ Hùng Vương (10 tháng 3 âm lịch)",
                "Hung Kings' Commemoration Day (10th day of 3rd lunar month)", .statutory
            ),
            (
                "2028-04-30", .holiday, "Ngày Chiến thắng (Giải phóng miền Nam, thống nhất đất nước)",
                "Reunification Day", .statutory
            ),
            ("2028-05-01", .holiday, "Ngày Quốc tế Lao động", "International Labour Day", .statutory),
            (
                "2028-05-02", .compensatoryDayOff, "Nghỉ bù 30/4 - 1/5 (ngày lễ 30/04/2028 trùng ngày nghỉ hằng tuần)",
                "Compensatory day off for Reunification Day / Labour Day (2028-04-30 fell on a weekend)", .statutory
            ),
            ("2028-09-01", .holiday, "Quốc khánh (ngày liền kề)", "National Day (adjacent day)", .statutory),
            ("2028-09-02", .holiday, "Quốc khánh", "National Day", .statutory),
            (
                "2028-09-04", .compensatoryDayOff, "Nghỉ bù Quốc khánh (ngày lễ 02/09/2028 trùng ngày nghỉ hằng tuần)",
                "Compensatory day off for National Day (2028-09-02 fell on a weekend)", .statutory
            ),
            ("2029-01-01", .holiday, "Tết Dương lịch", "New Year's Day", .statutory),
            (
                "2029-02-12", .holiday, "Tết Nguyên đán (29 tháng Chạp năm Mậu Thân)",
                "Lunar New Year (Tết), day 29 of the 12th lunar month (Mậu Thân)", .statutory
            ),
            (
                "2029-02-13", .holiday, "Tết Nguyên đán (mùng 1 tháng Giêng năm Kỷ Dậu)",
                "Lunar New Year (Tết), day 1 of the 1st lunar month (Kỷ Dậu)", .statutory
            ),
            (
                "2029-02-14", .holiday, "Tết Nguyên đán (mùng 2 tháng Giêng năm Kỷ Dậu)",
                "Lunar New Year (Tết), day 2 of the 1st lunar month (Kỷ Dậu)", .statutory
            ),
            (
                "2029-02-15", .holiday, "Tết Nguyên đán (mùng 3 tháng Giêng năm Kỷ Dậu)",
                "Lunar New Year (Tết), day 3 of the 1st lunar month (Kỷ Dậu)", .statutory
            ),
            (
                "2029-02-16", .holiday, "Tết Nguyên đán (mùng 4 tháng Giêng năm Kỷ Dậu)",
                "Lunar New Year (Tết), day 4 of the 1st lunar month (Kỷ Dậu)", .statutory
            ),
            (
                "2029-04-23", .holiday, "Giỗ Tổ Hùng Vương (10 tháng 3 âm lịch)",
                "Hung Kings' Commemoration Day (10th day of 3rd lunar month)", .statutory
            ),
            (
                "2029-04-30", .holiday, "Ngày Chiến thắng (Giải phóng miền Nam, thống nhất đất nước)",
                "Reunification Day", .statutory
            ),
            ("2029-05-01", .holiday, "Ngày Quốc tế Lao động", "International Labour Day", .statutory),
            ("2029-09-02", .holiday, "Quốc khánh", "National Day", .statutory),
            ("2029-09-03", .holiday, "Quốc khánh (ngày liền kề)", "National Day (adjacent day)", .statutory),
            (
                "2029-09-04", .compensatoryDayOff, "Nghỉ bù Quốc khánh (ngày lễ 02/09/2029 trùng ngày nghỉ hằng tuần)",
                "Compensatory day off for National Day (2029-09-02 fell on a weekend)", .statutory
            ),
            ("2030-01-01", .holiday, "Tết Dương lịch", "New Year's Day", .statutory),
            (
                "2030-01-31", .holiday, "Tết Nguyên đán (28 tháng Chạp năm Kỷ Dậu)",
                "Lunar New Year (Tết), day 28 of the 12th lunar month (Kỷ Dậu)", .statutory
            ),
            (
                "2030-02-01", .holiday, "Tết Nguyên đán (29 tháng Chạp năm Kỷ Dậu)",
                "Lunar New Year (Tết), day 29 of the 12th lunar month (Kỷ Dậu)", .statutory
            ),
            (
                "2030-02-02", .holiday, "Tết Nguyên đán (mùng 1 tháng Giêng năm Canh Tuất)",
                "Lunar New Year (Tết), day 1 of the 1st lunar month (Canh Tuất)", .statutory
            ),
            (
                "2030-02-03", .holiday, "Tết Nguyên đán (mùng 2 tháng Giêng năm Canh Tuất)",
                "Lunar New Year (Tết), day 2 of the 1st lunar month (Canh Tuất)", .statutory
            ),
            (
                "2030-02-04", .holiday, "Tết Nguyên đán (mùng 3 tháng Giêng năm Canh Tuất)",
                "Lunar New Year (Tết), day 3 of the 1st lunar month (Canh Tuất)", .statutory
            ),
            (
                "2030-02-05", .compensatoryDayOff,
                "Nghỉ bù Tết Nguyên đán (ngày lễ 02/02/2030 trùng ngày nghỉ hằng tuần)",
                "Compensatory day off for Lunar New Year (2030-02-02 fell on a weekend)", .statutory
            ),
            (
                "2030-02-06", .compensatoryDayOff,
                "Nghỉ bù Tết Nguyên đán (ngày lễ 03/02/2030 trùng ngày nghỉ hằng tuần)",
                "Compensatory day off for Lunar New Year (2030-02-03 fell on a weekend)", .statutory
            ),
            (
                "2030-04-12", .holiday, "Giỗ Tổ Hùng Vương (10 tháng 3 âm lịch)",
                "Hung Kings' Commemoration Day (10th day of 3rd lunar month)", .statutory
            ),
            (
                "2030-04-30", .holiday, "Ngày Chiến thắng (Giải phóng miền Nam, thống nhất đất nước)",
                "Reunification Day", .statutory
            ),
            ("2030-05-01", .holiday, "Ngày Quốc tế Lao động", "International Labour Day", .statutory),
            ("2030-09-02", .holiday, "Quốc khánh", "National Day", .statutory),
            ("2030-09-03", .holiday, "Quốc khánh (ngày liền kề)", "National Day (adjacent day)", .statutory),
        ]
        let entries = rows.map { row in
            // SAFETY: the literal dates above are valid YYYY-MM-DD strings, checked by a test.
            HolidayEntry(date: LocalDate(row.0)!, kind: row.1, nameVi: row.2, nameEn: row.3, status: row.4)
        }
        // SAFETY: the literal rows have unique dates and make-up days on Saturdays, checked by a test.
        return try! HolidayTable(entries: entries)
    }()
}

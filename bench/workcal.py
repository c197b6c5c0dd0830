"""The portal's legal working calendar, in Python, for generating dossiers as the application would store them.

It mirrors PortalCore's `WorkingCalendar` with the standard schedule (07:00-11:30 and 13:30-17:00, Monday to
Friday, make-up days the same) and the holiday table in ../shared/data/vn-holidays/holidays.csv, which holds the
same dates and kinds as the table built into the binary (`HolidayTable.vietnam`, used while the `holidays` table of
the database is empty, as it is in the benchmark database).

Working time is kept as a running total: `worked(t)` is the working seconds from the start of the range to instant
t, so the working time between two instants is one subtraction, the way `workingTime(from:to:)` sums per-day
overlaps, and adding working time is a binary search instead of a walk over days.
"""

import bisect
import csv
import datetime

OFFSET = 7 * 3600  # Vietnam time, UTC+7, no daylight saving
DAY = 86400
PERIODS = ((7 * 3600, 11 * 3600 + 1800), (13 * 3600 + 1800, 17 * 3600))


class WorkingCalendar:
    def __init__(self, holidays_csv, first_day, last_day):
        """Covers local days `first_day`..`last_day` (days since 1970-01-01 in Vietnam time)."""
        kinds = {}
        with open(holidays_csv, newline="", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                day = (datetime.date.fromisoformat(row["date"]) - datetime.date(1970, 1, 1)).days
                kinds[day] = row["kind"]
        self.first_day = first_day
        self.working = []  # per day of the range: whether it has the standard periods
        self.cumulative = [0]  # working seconds before each day of the range
        for day in range(first_day, last_day + 1):
            kind = kinds.get(day)
            weekday = (day + 3) % 7  # 1970-01-01 was a Thursday; 0 is Monday
            if kind in ("holiday", "compensatory_day_off"):
                works = False
            elif kind == "makeup_working_day":
                works = True
            else:
                works = weekday < 5
            self.working.append(works)
            self.cumulative.append(self.cumulative[-1] + (8 * 3600 if works else 0))

    @staticmethod
    def day_of(seconds):
        """The local day number of an instant given in seconds since the epoch."""
        return int((seconds + OFFSET) // DAY)

    def worked(self, seconds):
        """Working seconds from the start of the range to the instant."""
        day = self.day_of(seconds)
        index = day - self.first_day
        total = self.cumulative[index]
        if self.working[index]:
            second = seconds + OFFSET - day * DAY
            for start, end in PERIODS:
                if second > start:
                    total += min(second, end) - start
        return total

    def working_time(self, start, end):
        """`WorkingCalendar.workingTime(from:to:)`: working seconds between two instants."""
        return self.worked(end) - self.worked(start)

    def instant_after(self, seconds, working_seconds):
        """The instant `working_seconds` (> 0) of working time after `seconds`, as `add(workingTime:to:)`."""
        target = self.worked(seconds) + working_seconds
        # cumulative[index] < target <= cumulative[index + 1], so that day has working hours; a target at the end
        # of a day stays there (17:00), as in the Swift code.
        index = bisect.bisect_left(self.cumulative, target) - 1
        remaining = target - self.cumulative[index]
        day = self.first_day + index
        for start, end in PERIODS:
            if remaining <= end - start:
                return day * DAY - OFFSET + start + remaining
            remaining -= end - start
        raise AssertionError("a working day holds eight hours")

    def next_working_moment(self, seconds):
        """The instant itself when the clock runs then, otherwise the start of the next working period."""
        day = self.day_of(seconds)
        while True:
            if self.working[day - self.first_day]:
                second = seconds + OFFSET - day * DAY
                for start, end in PERIODS:
                    if second < end:
                        return seconds if second >= start else day * DAY - OFFSET + start
            day += 1
            seconds = day * DAY - OFFSET

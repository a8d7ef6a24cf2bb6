"""Working-day deadlines on China's official calendar: the calendar, the statutory periods, reminders."""

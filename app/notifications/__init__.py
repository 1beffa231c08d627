"""Notifications for staff: a new task, a task due soon or overdue, and the daily digests."""

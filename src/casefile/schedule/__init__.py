"""The team's calendar: change windows and planned inspections as one feed."""

"""Quizzes without Telegram: banks (YAML → typed, validated), drawing, scoring, reminder selection."""

"""Surveys as JSON files, to move them between installations: our own versioned format
(FORMAT.md) out and in, and SurveyJS JSON in (surveyjs.py)."""

"""The builder's interactive phone preview: the real respondent pages (paging, display logic,
piping, validation, one question per page, branding) for the survey being edited, with its
answers carried in the page itself, so that a preview stores nothing anywhere."""

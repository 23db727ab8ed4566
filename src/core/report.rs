//! The text and JSON report the CLI prints (and the page can copy).

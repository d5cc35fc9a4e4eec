"""Workbook input and output: safe reading, validation, template and plan writing."""

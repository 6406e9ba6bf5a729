"""Registers (台账): ledgers a township defines as XLSForm workbooks, with their records."""

"""Purchase and customer import from CSV/XLSX: reading, row rules, bulk writes, error reports."""

"""Customers' demographic attributes (from the customer import): age bands, NPS/CSAT broken
down by gender, age band, city and member level, and the customer directory's filters."""

"""Chinese-aware recognisers: numbers and units (numbers, units), target operators (operators),
column headers and labels (headers), grades (grades), facts in prose (prose).

Vocabulary lives in patterns/data/; this package imports nothing from extract/ or normalize/.
"""

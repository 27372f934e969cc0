"""The county's view (县人大常委会): townships side by side, a township's offices side by side for its
presidium, the year's statistics, and the annual report with its charts (PDF and .xlsx).

Every figure is counted in SQL, grouped by township (or office), a fixed number of statements
however many townships a county has; pages are kept in the page cache, keyed by data versions.
"""

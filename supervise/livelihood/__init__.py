"""Livelihood projects (民生实事项目): residents', deputies' and offices' proposals (征集), later the
candidates and the deputies' vote that turns the chosen ones into items of the year's list."""

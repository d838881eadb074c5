"""Sheet tests are pure: nothing here touches Django."""

package dev.weir.appliance.console;

/**
 * The frame of every console page: the head (the console's own style sheet and script, nothing
 * from elsewhere), the navigation, the signed-in admin and the sign-out form with its CSRF token.
 * Titles and names are escaped; the body is given already escaped by its page.
 */
final class Layout {
    static final String[][] NAV = {
            {"/live", "Live"}, {"/denials", "Denials"}, {"/policy", "Policy"}, {"/explain", "Explain"},
            {"/replay", "Replay"}, {"/audit", "Audit sinks"}, {"/triggers", "Triggers"}};

    private Layout() {}

    static String page(String title, String path, Sessions.Session s, String body) {
        StringBuilder b = new StringBuilder(body.length() + 1024);
        head(b, title);
        b.append("<body data-page=\"").append(Html.text(path)).append("\">\n<header><span class=\"brand\">weir console</span><nav>");
        for (String[] n : NAV) {
            b.append("<a href=\"").append(n[0]).append('"').append(n[0].equals(path) ? " class=\"here\"" : "").append('>')
                    .append(Html.text(n[1])).append("</a>");
        }
        b.append("</nav><form class=\"signout\" method=\"post\" action=\"/signout\">")
                .append(csrf(s)).append("<span id=\"admin\">").append(Html.text(s.principal()))
                .append("</span> <button type=\"submit\">Sign out</button></form></header>\n<main>\n<h1>")
                .append(Html.text(title)).append("</h1>\n").append(body).append("\n</main>\n</body>\n</html>\n");
        return b.toString();
    }

    /** A page outside a session (sign-in, errors). */
    static String bare(String title, String body) {
        StringBuilder b = new StringBuilder();
        head(b, title);
        b.append("<body data-page=\"bare\">\n<main class=\"narrow\">\n<h1>").append(Html.text(title)).append("</h1>\n")
                .append(body).append("\n</main>\n</body>\n</html>\n");
        return b.toString();
    }

    static String csrf(Sessions.Session s) {
        return "<input type=\"hidden\" name=\"csrf\" value=\"" + Html.text(s.csrf()) + "\">";
    }

    private static void head(StringBuilder b, String title) {
        b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
                .append(Html.text(title)).append(" - weir console</title>\n")
                .append("<link rel=\"stylesheet\" href=\"/static/console.css\">\n")
                .append("<script src=\"/static/console.js\" defer></script>\n</head>\n");
    }
}

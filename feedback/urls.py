from django.urls import path

from feedback.analysis import views

app_name = "feedback"

urlpatterns = [
    path("", views.explorer, name="explorer"),
    path("<int:pk>/", views.item_detail, name="item"),
    path("<int:pk>/sentiment/", views.item_correct, name="item-correct"),
    path("topics/", views.topic_list, name="topics"),
    path("topics/<int:pk>/", views.topic_detail, name="topic"),
    path("topics/<int:pk>/rename/", views.topic_rename_view, name="topic-rename"),
    path("topics/<int:pk>/merge/", views.topic_merge_view, name="topic-merge"),
]
